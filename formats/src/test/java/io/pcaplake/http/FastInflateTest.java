package io.pcaplake.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * libdeflate's one-shot path gives exactly what zlib streaming gives: same decoded bytes, hash, prefix, counts, flags
 * and anomalies (with their details and the arrival time they are dated by), for valid, corrupt, truncated, gapped and
 * bomb-like gzip bodies cut into random wire pieces.
 */
class FastInflateTest {
  static final int ALL = Integer.MAX_VALUE;

  /** The binding; PCAPLAKE_REQUIRE_LIBDEFLATE (set by scripts/test) makes its absence a failure, not a skip. */
  static FastInflate.Backend backend() {
    FastInflate.Backend b = FastInflate.backend();
    if (b == null && System.getenv("PCAPLAKE_REQUIRE_LIBDEFLATE") != null) {
      fail("libdeflate required but not in use: " + FastInflate.status());
    }
    assumeTrue(b != null, () -> "libdeflate not in use, one-shot path untested: " + FastInflate.status());
    return b;
  }

  static byte[] rawDeflate(byte[] plain, int level, int strategy) {
    Deflater d = new Deflater(level, true);
    d.setStrategy(strategy);
    d.setInput(plain);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }

  /** A gzip member: the header (with optional FEXTRA/FNAME/FHCRC), raw deflate, CRC32 and ISIZE. */
  static byte[] gzip(byte[] plain, int level, int strategy, int flags) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, (byte) flags, 0, 0, 0, 0, 0, 3});
    if ((flags & 4) != 0) {
      out.writeBytes(new byte[] {3, 0, 'a', 'b', 'c'});
    }
    if ((flags & 8) != 0) {
      out.writeBytes(new byte[] {'f', '.', 'j', 's', 0});
    }
    if ((flags & 2) != 0) {
      out.writeBytes(new byte[] {0x12, 0x34});
    }
    out.writeBytes(rawDeflate(plain, level, strategy));
    CRC32 crc = new CRC32();
    crc.update(plain);
    long c = crc.getValue();
    long n = plain.length;
    for (long v : new long[] {c, n}) {
      for (int i = 0; i < 4; i++) {
        out.write((int) (v >>> (8 * i)) & 0xff);
      }
    }
    return out.toByteArray();
  }

  /** What a decoder reported: its body and its anomalies, in order. */
  record Seen(HttpBody body, List<String> problems) {
    void assertSame(Seen other, String what) {
      assertEquals(body.wireBytes(), other.body.wireBytes(), what + ": wire bytes");
      assertEquals(body.decodedBytes(), other.body.decodedBytes(), what + ": decoded bytes");
      assertEquals(body.sha256(), other.body.sha256(), what + ": sha256");
      assertArrayEquals(body.prefix(), other.body.prefix(), what + ": prefix");
      assertEquals(body.truncated(), other.body.truncated(), what + ": truncated");
      assertEquals(body.decodeFailed(), other.body.decodeFailed(), what + ": failed");
      assertEquals(body.gapBytes(), other.body.gapBytes(), what + ": gap bytes");
      assertEquals(problems, other.problems, what + ": anomalies");
    }
  }

  /** Records problems with the capture time they are dated by: the piece's index, here. */
  static final class Recorder implements BodyDecoder.Problems {
    long now;
    final List<String> seen = new ArrayList<>();

    @Override
    public void report(String reason, String detail) {
      seen.add("t" + now + " " + reason + ": " + detail);
    }

    @Override
    public long now() {
      return now;
    }

    @Override
    public void reportAt(long ts, String reason, String detail) {
      seen.add("t" + ts + " " + reason + ": " + detail);
    }
  }

  /**
   * Feeds {@code wire} in pieces of the given sizes (the last takes the rest), with a gap after piece
   * {@code gapAfter}; piece i arrives at time i, the end of the body at time -1.
   */
  static Seen decode(byte[] wire, int[] pieces, int gapAfter, HttpLimits limits, boolean hash,
                     FastInflate.Backend fast) {
    Recorder problems = new Recorder();
    BodyDecoder d = new BodyDecoder(limits, "gzip", problems, hash, fast);
    int p = 0;
    for (int i = 0; i < pieces.length && p < wire.length; i++) {
      int k = i == pieces.length - 1 ? wire.length - p : Math.min(pieces[i], wire.length - p);
      problems.now = i;
      d.wire(wire, p, k);
      p += k;
      if (i == gapAfter) {
        d.gap(100);
      }
    }
    problems.now = -1;
    return new Seen(d.finish("text/plain", "gzip", null), problems.seen);
  }

  static byte[] content(Random rnd, int size) {
    byte[] b = new byte[size];
    switch (rnd.nextInt(4)) {
      case 0 -> rnd.nextBytes(b);                                  // incompressible
      case 1 -> Arrays.fill(b, (byte) 'z');                        // bomb-like ratio
      default -> {                                                 // text-like
        String[] words = {"alpha ", "order ", "invoice ", "status:200 ", "{\"id\":", "},\n"};
        int p = 0;
        while (p < size) {
          byte[] w = words[rnd.nextInt(words.length)].getBytes();
          int k = Math.min(w.length, size - p);
          System.arraycopy(w, 0, b, p, k);
          p += k;
        }
      }
    }
    return b;
  }

  @Test
  void backendDecodesWhatZlibDecodes() {
    FastInflate.Backend fast = backend();
    Random rnd = new Random(11);
    for (int i = 0; i < 200; i++) {
      byte[] plain = content(rnd, rnd.nextInt(600_000));
      byte[] member = gzip(plain, rnd.nextInt(10), rnd.nextInt(3), 0);
      int body = 10;   // after the header
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      assertEquals(plain.length, fast.inflateGzip(member, body, member.length - body, plain.length, got::write, ALL));
      assertArrayEquals(plain, got.toByteArray());
      ByteArrayOutputStream first = new ByteArrayOutputStream();
      assertEquals(plain.length, fast.inflateGzip(member, body, member.length - body, plain.length, first::write, 10));
      assertArrayEquals(Arrays.copyOf(plain, Math.min(plain.length, FastInflate.PIECE)), first.toByteArray(),
          "asked for 10 bytes: one piece comes back");
      ByteArrayOutputStream none = new ByteArrayOutputStream();
      assertEquals(-1, fast.inflateGzip(member, body, member.length - body - 1, plain.length, none::write, ALL),
          "trailer cut short");
      byte[] badCrc = member.clone();
      badCrc[badCrc.length - 8] ^= 1;
      assertEquals(-1, fast.inflateGzip(badCrc, body, badCrc.length - body, plain.length, none::write, ALL), "CRC");
      if (plain.length > 0) {
        assertEquals(-1, fast.inflateGzip(member, body, member.length - body, plain.length - 1, none::write, ALL),
            "output over the cap");
        assertEquals(-1, fast.inflateGzip(member, body, (member.length - body) / 2, plain.length, none::write, ALL),
            "truncated stream");
      }
      assertEquals(0, none.size(), "nothing written when the shot fails");
    }
  }

  /**
   * Seeded differential check: every body decoded with and without the one-shot path. Mutations cover corrupt
   * bytes, truncation, trailing garbage, a wrong ISIZE (the size guess), gaps, and tight bomb caps.
   */
  @Test
  void oneShotGivesWhatStreamingGives() {
    FastInflate.Backend real = backend();
    long[] shots = new long[1];
    FastInflate.Backend counting = (in, off, len, cap, out, want) -> {
      long n = real.inflateGzip(in, off, len, cap, out, want);
      if (n >= 0) {
        shots[0]++;
      }
      return n;
    };
    long seed = Long.getLong("pcaplake.test.inflateSeed", 20261129L);
    Random rnd = new Random(seed);
    int cases = Integer.getInteger("pcaplake.test.inflateCases", 1000);
    for (int c = 0; c < cases; c++) {
      int size = rnd.nextInt(20) == 0 ? rnd.nextInt(3_000_000) : rnd.nextInt(200_000);
      byte[] plain = content(rnd, size);
      byte[] wire = gzip(plain, rnd.nextInt(10), rnd.nextInt(3), new int[] {0, 2, 4, 8, 14}[rnd.nextInt(5)]);
      String mutation = "none";
      switch (rnd.nextInt(8)) {
        case 0 -> {
          mutation = "flipped bytes";
          for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
            int at = 10 + rnd.nextInt(Math.max(1, wire.length - 10));
            if (at < wire.length) {
              wire[at] ^= (byte) (1 + rnd.nextInt(255));
            }
          }
        }
        case 1 -> {
          mutation = "truncated";
          wire = Arrays.copyOf(wire, 10 + rnd.nextInt(Math.max(1, wire.length - 10)));
        }
        case 2 -> {
          mutation = "trailing garbage";
          byte[] more = new byte[1 + rnd.nextInt(5000)];
          rnd.nextBytes(more);
          byte[] w = Arrays.copyOf(wire, wire.length + more.length);
          System.arraycopy(more, 0, w, wire.length, more.length);
          wire = w;
        }
        case 3 -> {
          mutation = "wrong ISIZE";
          wire[wire.length - 1 - rnd.nextInt(4)] ^= (byte) (1 + rnd.nextInt(255));
        }
        default -> { }
      }
      int[] pieces = new int[1 + rnd.nextInt(40)];
      int unit = 1 + rnd.nextInt(rnd.nextBoolean() ? 1500 : 70_000);
      for (int i = 0; i < pieces.length; i++) {
        pieces[i] = 1 + rnd.nextInt(unit);
      }
      int gapAfter = rnd.nextInt(6) == 0 ? rnd.nextInt(pieces.length) : -1;
      HttpLimits limits = switch (rnd.nextInt(4)) {
        case 0 -> HttpLimits.DEFAULTS.withDecodeCaps(1 + rnd.nextInt(400_000), 1 + rnd.nextInt(300),
            rnd.nextInt(100_000));
        default -> HttpLimits.DEFAULTS;
      };
      String what = "case " + c + " (seed " + seed + "): " + plain.length + " bytes, " + mutation + ", "
          + pieces.length + " pieces of up to " + unit + ", gap after " + gapAfter + ", caps "
          + limits.maxDecodedBytes() + "/" + limits.maxDecodeRatio() + "/" + limits.ratioFloorBytes();
      boolean hash = rnd.nextInt(3) > 0;   // without a hash, only the prefix comes back from native memory
      what += hash ? "" : ", no hash";
      Seen streamed = decode(wire, pieces, gapAfter, limits, hash, null);
      Seen shot = decode(wire, pieces, gapAfter, limits, hash, counting);
      streamed.assertSame(shot, what + " " + streamed.problems() + " / " + shot.problems());
    }
    // The one-shot path must really have been taken, for most of the clean bodies.
    assertTrue(shots[0] > cases / 4, "one-shot decodes: " + shots[0] + " of " + cases);
  }

  @Test
  void aBombStopsAtTheSameByteEitherWay() {
    FastInflate.Backend fast = backend();
    byte[] zeros = new byte[6 << 20];
    byte[] wire = gzip(zeros, 9, Deflater.DEFAULT_STRATEGY, 0);
    int[] pieces = new int[64];
    Arrays.fill(pieces, 200);
    Seen streamed = decode(wire, pieces, -1, HttpLimits.DEFAULTS, true, null);
    Seen shot = decode(wire, pieces, -1, HttpLimits.DEFAULTS, true, fast);
    assertTrue(streamed.body().truncated(), "the ratio cap stops a 6 MiB body of zeros from " + wire.length + " bytes");
    streamed.assertSame(shot, "bomb");
    assertTrue(shot.problems().get(0).contains(HttpReasons.DECOMPRESSION_BOMB), shot.problems().toString());
  }
}
