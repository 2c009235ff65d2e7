package io.pcaplake.fuzz;

import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;

/** Shared helpers of the fuzz targets: an input cursor, allocation and time measurement. */
final class FuzzSupport {
  private FuzzSupport() { }

  /** Wall-clock budget per input, generous for a loaded 2-core machine; a hang shows up as far more. */
  static final long TIME_BUDGET_NANOS = 3_000_000_000L;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Bytes allocated so far by the calling thread (TLAB-accurate), or -1 when the JVM cannot say. */
  static long allocated() {
    try {
      return THREADS.getCurrentThreadAllocatedBytes();
    } catch (UnsupportedOperationException e) {
      return -1;
    }
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError(what);
    }
  }

  /**
   * Reads the fuzzer's bytes front to back as a little program. Once the bytes run out every read returns 0 / empty,
   * so any prefix of a seed is still a valid input. Seeds are written with {@link Out}.
   */
  static final class In {
    private final byte[] b;
    private int p;

    In(byte[] b) {
      this.b = b;
    }

    boolean more() { return p < b.length; }

    int remaining() { return b.length - p; }

    int u8() { return p < b.length ? b[p++] & 0xff : 0; }

    int u16() { return u8() << 8 | u8(); }

    long u32() { return (long) u16() << 16 | u16(); }

    boolean bool() { return (u8() & 1) != 0; }

    /** Up to {@code n} bytes (fewer when the input ends). */
    byte[] bytes(int n) {
      int k = Math.max(0, Math.min(n, b.length - p));
      byte[] out = java.util.Arrays.copyOfRange(b, p, p + k);
      p += k;
      return out;
    }

    byte[] rest() {
      return bytes(remaining());
    }
  }

  /** Writes seeds in the layout {@link In} reads. */
  static final class Out {
    private final java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();

    Out u8(int v) { o.write(v); return this; }

    Out u16(int v) { return u8(v >>> 8).u8(v); }

    Out u32(long v) { return u16((int) (v >>> 16)).u16((int) v); }

    Out bool(boolean v) { return u8(v ? 1 : 0); }

    Out bytes(byte[] v) { o.writeBytes(v); return this; }

    Out bytes(byte[] v, int n) { o.write(v, 0, n); return this; }

    byte[] toByteArray() { return o.toByteArray(); }
  }

  static ByteOrder order(boolean le) {
    return le ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
  }
}
