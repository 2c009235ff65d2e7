package io.pcaplake.fuzz;

import static io.pcaplake.fuzz.FuzzSupport.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pcaplake.filter.CaptureFilter;
import io.pcaplake.filter.FilterSyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * The capture-filter parser on arbitrary strings (the input as UTF-8). Checks: the result is a filter or a
 * {@link FilterSyntaxException} whose position lies within the string (the end counts: "expected ... at end"); a
 * filter's canonical {@code toString()} parses again to the same canonical form and the same answers on
 * fuzzer-chosen connections (IPv4 and IPv6, ports, protocol, VLAN); bounded time.
 */
class CaptureFilterFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void fuzz(byte[] data) {
    String expr = new String(data, StandardCharsets.UTF_8);
    long t0 = System.nanoTime();
    CaptureFilter f;
    try {
      f = CaptureFilter.parse(expr);
    } catch (FilterSyntaxException e) {
      check(e.position() >= 0 && e.position() <= expr.length(),
          "position " + e.position() + " outside a string of " + expr.length() + ": " + e.getMessage());
      check(expr.equals(e.expression()) && e.reason() != null && e.pointer() != null, "exception fields");
      return;
    }
    check(expr.equals(f.expression()), "expression not kept");
    String canonical = f.toString();
    CaptureFilter again;
    try {
      again = CaptureFilter.parse(canonical);
    } catch (FilterSyntaxException e) {
      throw new AssertionError("canonical form of '" + expr + "' does not parse: '" + canonical + "': "
          + e.getMessage(), e);
    }
    check(canonical.equals(again.toString()),
        "round trip changed '" + canonical + "' into '" + again + "' (input '" + expr + "')");
    // Same answers on a few connections derived from the input bytes.
    for (int i = 0; i < 8; i++) {
      int h = java.util.Arrays.hashCode(data) * 31 + i * 0x9E3779B9;
      int len = (i & 1) == 0 ? 4 : 16;
      byte[] a = new byte[len];
      byte[] b = new byte[len];
      for (int k = 0; k < len; k++) {
        a[k] = (byte) (h >>> (k % 4 * 8));
        b[k] = (byte) (h >>> ((k + 1) % 4 * 8));
      }
      a[0] = 10;
      b[0] = (byte) (i < 4 ? 10 : 192);
      int portA = i == 7 ? -1 : h & 0xffff;
      int portB = i == 7 ? -1 : (h >>> 16);
      int proto = new int[] {6, 17, 1, 6, 17, 6, 58, 47}[i];
      int vlan = (i & 2) != 0 ? h & 0xfff : -1;
      check(f.matchesConnection(a, portA, b, portB, proto, vlan) == again.matchesConnection(a, portA, b, portB, proto,
          vlan), "'" + expr + "' and its canonical form '" + canonical + "' disagree");
    }
    long took = System.nanoTime() - t0;
    check(took < FuzzSupport.TIME_BUDGET_NANOS, "parsing took " + took / 1_000_000 + " ms");
  }
}
