package io.pcaplake.fuzz;

import static io.pcaplake.fuzz.FuzzSupport.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pcaplake.http.BodyFiles;
import io.pcaplake.http.HttpAnomaly;
import io.pcaplake.http.HttpBody;
import io.pcaplake.http.HttpConnection;
import io.pcaplake.http.HttpExchange;
import io.pcaplake.http.HttpHeader;
import io.pcaplake.http.HttpLimits;
import io.pcaplake.http.HttpListener;
import io.pcaplake.http.HttpReasons;
import io.pcaplake.tcp.TcpDirection;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP/1.x parser of one connection ({@link HttpConnection}) fed both directions' streams, with gaps, under small
 * fuzzer-chosen limits, with body extraction into memory. Input: 15 limit bytes, then up to 512 ops: op byte
 * (direction; gap or data; short or long), then the gap length or the data.
 *
 * <p>Checks: no exception; bounded time; exchange indexes strictly increasing in emission order; per message at most
 * {@code maxHeaders} headers; every body within the bomb limits (decoded ≤ {@code maxDecodedBytes} and ≤ the ratio
 * cap), its prefix ≤ {@code bodyPrefixBytes}, {@code truncated} only with {@code http.decompression_bomb};
 * <b>accounting</b> per direction: Σ body wire bytes ≤ bytes delivered and Σ message gap bytes ≤ gap bytes given;
 * reasons are {@code http.*}; <b>extraction</b>: every file name is safe, opened once, and every emitted body with
 * decoded bytes has exactly its decoded size in its file (unless {@code http.extract_failed}).
 */
class HttpParserFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void fuzz(byte[] data) {
    FuzzSupport.In in = new FuzzSupport.In(data);
    HttpLimits limits = limits(in);
    Checker c = new Checker(limits);
    HttpConnection conn = new HttpConnection("0123456789abcdef0123456789abcdef", limits, c, c::open);
    long[] off = new long[2];
    long[] delivered = new long[2];
    long[] gaps = new long[2];
    long ts = 1;
    long t0 = System.nanoTime();
    for (int n = 0; n < 512 && in.more(); n++) {
      int op = in.u8();
      TcpDirection d = (op & 1) == 0 ? TcpDirection.CLIENT_TO_SERVER : TcpDirection.SERVER_TO_CLIENT;
      int i = d.ordinal();
      if ((op & 6) == 6) {
        long missing = 1 + ((op & 8) != 0 ? in.u16() : in.u8() % 16);
        conn.gap(d, off[i], missing);
        off[i] += missing;
        gaps[i] += missing;
      } else {
        byte[] b = in.bytes((op & 8) != 0 ? in.u16() % 4096 : in.u8());
        if (b.length == 0) {
          continue;
        }
        // the slice sits in a bigger buffer: the parser must respect off/len
        byte[] buf = new byte[b.length + 2];
        System.arraycopy(b, 0, buf, 1, b.length);
        conn.deliver(d, buf, 1, b.length, off[i], ts++);
        off[i] += b.length;
        delivered[i] += b.length;
      }
    }
    conn.finish();
    for (TcpDirection d : TcpDirection.values()) {
      int i = d.ordinal();
      check(c.wire[i] <= delivered[i], d + ": body wire bytes " + c.wire[i] + " > delivered " + delivered[i]);
      check(c.gap[i] <= gaps[i], d + ": message gap bytes " + c.gap[i] + " > gaps " + gaps[i]);
    }
    c.checkFiles();
    long took = System.nanoTime() - t0;
    check(took < FuzzSupport.TIME_BUDGET_NANOS, "parsing took " + took / 1_000_000 + " ms");
  }

  static HttpLimits limits(FuzzSupport.In in) {
    return new HttpLimits(16 + in.u8() * 4, 16 + in.u16() % 8192, 1 + in.u8() % 32, 3 + in.u8() % 64, in.u8(),
        in.u16() * 16L, 1 + in.u8(), in.u16(), in.u16() * 4, 1 + in.u8() % 16, in.u8() * 64);
  }

  /** Checks the limits of every message and collects what accounting and extraction need. */
  static final class Checker implements HttpListener {
    final HttpLimits limits;
    final long[] wire = new long[2];
    final long[] gap = new long[2];
    int lastIndex = -1;
    final List<String> reasons = new ArrayList<>();
    final Map<String, ByteArrayOutputStream> files = new HashMap<>();
    final Map<String, Long> expected = new HashMap<>();

    Checker(HttpLimits limits) {
      this.limits = limits;
    }

    OutputStream open(String name) {
      check(BodyFiles.isSafeName(name), "unsafe name " + name);
      check(!files.containsKey(name), "body file opened twice: " + name);
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      files.put(name, o);
      return o;
    }

    @Override
    public void exchange(HttpExchange e) {
      check(e.exchangeIndex() > lastIndex, "exchange index " + e.exchangeIndex() + " after " + lastIndex);
      lastIndex = e.exchangeIndex();
      check(e.request() != null || e.response() != null, "empty exchange");
      if (e.request() != null) {
        message(0, e, true, e.request().headers(), e.request().body(), e.request().gapBytes());
      }
      if (e.response() != null) {
        message(1, e, false, e.response().headers(), e.response().body(), e.response().gapBytes());
      }
    }

    private void message(int dir, HttpExchange e, boolean request, List<HttpHeader> headers, HttpBody b,
                         long gapBytes) {
      check(headers.size() <= limits.maxHeaders(), headers.size() + " headers > " + limits.maxHeaders());
      check(gapBytes >= 0, "negative gap bytes");
      gap[dir] += gapBytes;
      if (b == null) {
        return;
      }
      wire[dir] += b.wireBytes();
      check(b.decodedBytes() >= 0 && b.wireBytes() >= 0, "negative sizes");
      check(b.decodedBytes() <= limits.maxDecodedBytes(), "decoded " + b.decodedBytes() + " > cap");
      long ratioCap = Math.max(limits.ratioFloorBytes(), (long) limits.maxDecodeRatio() * b.wireBytes());
      check(b.decodedBytes() <= ratioCap, "decoded " + b.decodedBytes() + " > ratio cap " + ratioCap);
      check(b.prefix().length <= limits.bodyPrefixBytes() && b.prefix().length <= b.decodedBytes(),
          "prefix " + b.prefix().length);
      check(!b.truncated() || reasons.contains(HttpReasons.DECOMPRESSION_BOMB), "truncated without anomaly");
      if (b.decodedBytes() > 0) {
        String ct = null;
        for (HttpHeader h : headers) {
          if (h.name().strip().equalsIgnoreCase("Content-Type")) {
            ct = h.value();
            break;
          }
        }
        expected.put(BodyFiles.name("0123456789abcdef0123456789abcdef", e.exchangeIndex(), request, ct),
            b.decodedBytes());
      }
    }

    @Override
    public void anomaly(HttpAnomaly a) {
      check(a.reason() != null && a.reason().startsWith("http."), "reason " + a.reason());
      reasons.add(a.reason());
    }

    void checkFiles() {
      if (reasons.contains(HttpReasons.EXTRACT_FAILED)) {
        return;
      }
      for (Map.Entry<String, Long> x : expected.entrySet()) {
        ByteArrayOutputStream f = files.get(x.getKey());
        // The Content-Type the parser used is the first one; a name computed from another header list may differ.
        if (f != null) {
          check(f.size() == x.getValue(), x.getKey() + ": file " + f.size() + " bytes, body " + x.getValue());
        }
      }
      long total = files.values().stream().mapToLong(ByteArrayOutputStream::size).sum();
      check(total <= (long) files.size() * limits.maxDecodedBytes(), "extracted more than the caps");
    }
  }
}
