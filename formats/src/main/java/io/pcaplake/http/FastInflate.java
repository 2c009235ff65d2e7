package io.pcaplake.http;

import java.util.Locale;

/**
 * One-shot raw-deflate decoding through libdeflate (about 2.5x zlib's speed), used for whole gzip bodies when it is
 * present. Optional by design: every caller keeps the JDK's zlib {@link java.util.zip.Inflater} path, and uses this one
 * only where the result cannot differ from it (a complete stream whose gzip trailer matches; see {@link BodyDecoder}).
 * So a table row is the same whether or not the library was found, except for a crafted stream zlib rejects and
 * libdeflate accepts, sent with a trailer computed from libdeflate's output ({@code docs/http.md}).
 *
 * <p>The binding ({@code LibDeflate}) uses JDK 17's incubating foreign-function API, so it is built by the parent
 * pom's jdk17 profile only and loads only when the JVM runs with {@code --add-modules=jdk.incubator.foreign
 * --enable-native-access=ALL-UNNAMED} (the launcher passes both when its java has the module; Surefire through
 * {@code foreign.jvm.flags}) and {@code libdeflate.so.0} is installed (Debian: libdeflate0). System property
 * {@code pcaplake.inflate=jdk} turns it off; {@code pcaplake.libdeflate} names the library file.
 */
public final class FastInflate {
  /** Receives decoded bytes, in order, in pieces of at most 64 KiB. */
  interface Output {
    void write(byte[] b, int off, int len);
  }

  /** What a binding provides; implemented by {@code LibDeflate}, which only loads with the module present. */
  interface Backend {
    /**
     * Decodes a gzip member's body: the raw deflate stream at the start of {@code in[off, off+len)}, into at most
     * {@code outCap} bytes, then the 8-byte trailer, whose CRC-32 and size must match what was decoded. Returns the
     * decoded length, after writing to {@code out} the first {@link #delivered}({@code want}) bytes of it (all of
     * it for {@code Integer.MAX_VALUE}); or -1, writing nothing, when any of that fails.
     */
    long inflateGzip(byte[] in, int off, int len, int outCap, Output out, int want);
  }

  /** Pieces {@link Output} receives at most. */
  static final int PIECE = 64 * 1024;

  /** How many decoded bytes a backend hands over when asked for {@code want}: whole pieces, at least one. */
  static long delivered(int want) {
    return want == Integer.MAX_VALUE ? Long.MAX_VALUE : Math.max(PIECE, (long) (want + PIECE - 1) / PIECE * PIECE);
  }

  /** Largest decoded body decoded in one shot: the native output buffer grows to this, per thread. */
  static final int MAX_OUTPUT = 8 << 20;
  /** Largest encoded body held for one shot, per body; longer bodies stream through zlib. */
  static final int MAX_INPUT = 2 << 20;

  private static final Backend BACKEND;
  private static final String STATUS;

  static {
    Backend b = null;
    String status;
    String mode = System.getProperty("pcaplake.inflate", "auto").toLowerCase(Locale.ROOT);
    if (mode.equals("jdk")) {
      status = "zlib (JDK): pcaplake.inflate=jdk";
    } else if (ModuleLayer.boot().findModule("jdk.incubator.foreign").isEmpty()) {
      status = "zlib (JDK): the JVM runs without --add-modules=jdk.incubator.foreign";
    } else {
      try {
        b = (Backend) Class.forName("io.pcaplake.http.LibDeflate").getDeclaredConstructor().newInstance();
        status = "libdeflate (" + b + ")";
      } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        status = "zlib (JDK): libdeflate not usable: " + cause;
      }
    }
    BACKEND = b;
    STATUS = status;
  }

  private FastInflate() { }

  /** The binding, or null when bodies decode through the JDK only. */
  static Backend backend() {
    return BACKEND;
  }

  /** Which inflater gzip bodies use, and why: for logs and {@code --verbose} output. */
  public static String status() {
    return STATUS;
  }
}
