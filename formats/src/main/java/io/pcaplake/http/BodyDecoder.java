package io.pcaplake.http;

import com.github.luben.zstd.ZstdDecompressCtx;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.brotli.dec.BrotliInputStream;

/**
 * Streams one body: wire bytes in, content decoding stages (last coding listed decoded first), then a sink that
 * counts, hashes (SHA-256) and keeps a prefix of the decoded bytes and enforces the bomb limits. gzip/deflate and
 * zstd decode as bytes arrive; br buffers its encoded input (at most {@link HttpLimits#brotliBufferBytes}) and decodes
 * at the end of the message, because the Java Brotli decoder only pulls from an InputStream.
 */
final class BodyDecoder {
  interface Problems {
    void report(String reason, String detail);

    /** The capture time of the bytes being fed now; a problem found later, in held bytes, is dated by it. */
    default long now() {
      return 0;
    }

    /** A problem found in bytes that arrived at capture time {@code ts} (held gzip pieces replayed later). */
    default void reportAt(long ts, String reason, String detail) {
      report(reason, detail);
    }
  }

  private abstract static class Stage {
    abstract void write(byte[] b, int off, int len);

    /** Decodes whatever a stage holds back, before a gap stops the chain; most stages hold nothing. */
    void flush() { }

    abstract void finish();
  }

  private final HttpLimits limits;
  private final FastInflate.Backend fast;
  private final Problems problems;
  private final Stage head;
  /** SHA-256 of the decoded bytes; null when the caller shows no hash (the console's text blocks). */
  private final MessageDigest sha;
  private final byte[] prefix;
  private int prefixLen;
  long wireBytes;
  long decodedBytes;
  long gapBytes;
  boolean truncated;
  boolean failed;
  private boolean stopped;
  private boolean any;
  /**
   * While held gzip pieces replay: the wire count the bomb ratio is checked against and the capture time problems are
   * dated by, as they were when the piece arrived; -1: not replaying ({@link #wireBytes}, now).
   */
  private long ratioWire = -1;
  private long replayTs;
  private Supplier<OutputStream> extract;
  private OutputStream out;

  BodyDecoder(HttpLimits limits, String contentEncoding, Problems problems) {
    this(limits, contentEncoding, problems, true);
  }

  /** @param hash compute the decoded body's SHA-256 ({@link HttpBody#sha256} is null without it) */
  BodyDecoder(HttpLimits limits, String contentEncoding, Problems problems, boolean hash) {
    this(limits, contentEncoding, problems, hash, FastInflate.backend());
  }

  /** @param fast one-shot gzip decoding, or null for zlib streaming only (tests compare the two) */
  BodyDecoder(HttpLimits limits, String contentEncoding, Problems problems, boolean hash, FastInflate.Backend fast) {
    this.limits = limits;
    this.fast = fast;
    this.problems = problems;
    try {
      this.sha = hash ? MessageDigest.getInstance("SHA-256") : null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    this.prefix = new byte[limits.bodyPrefixBytes()];
    Stage s = new Sink();
    if (contentEncoding != null) {
      List<String> codings = new ArrayList<>();
      for (String c : contentEncoding.split(",")) {
        String t = c.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty() && !t.equals("identity")) {
          codings.add(t);
        }
      }
      // "gzip, br": gzip was applied first, so br is decoded first: build the chain from the first coding outwards.
      for (String c : codings) {
        switch (c) {
          case "gzip", "x-gzip", "deflate" -> s = new InflateStage(s);
          case "br" -> s = new BrotliStage(s);
          case "zstd" -> s = new ZstdStage(s);
          default -> {
            problem(HttpReasons.UNSUPPORTED_ENCODING, c);
            failed = true;
            s = new Sink();   // hash the wire bytes as they are
            codings.clear();
          }
        }
        if (codings.isEmpty()) {
          break;
        }
      }
    }
    this.head = s;
  }

  /**
   * Body extraction: the decoded bytes that pass the bomb limits are also written to the stream the supplier gives,
   * opened at the first decoded byte (an empty body opens nothing; null: not extracted) and closed by
   * {@link #finish}. A write error is an {@link HttpReasons#EXTRACT_FAILED} anomaly and ends that file only.
   */
  void extractTo(Supplier<OutputStream> opener) {
    this.extract = opener;
  }

  private void extract(byte[] b, int off, int n) {
    if (extract != null) {
      out = extract.get();
      extract = null;
    }
    if (out != null) {
      try {
        out.write(b, off, n);
      } catch (IOException | RuntimeException e) {
        problem(HttpReasons.EXTRACT_FAILED, "write: " + e);
        closeOut();
      }
    }
  }

  private void closeOut() {
    OutputStream o = out;
    out = null;
    extract = null;
    if (o != null) {
      try {
        o.close();
      } catch (IOException | RuntimeException e) {
        problem(HttpReasons.EXTRACT_FAILED, "close: " + e);
      }
    }
  }

  void wire(byte[] b, int off, int len) {
    if (len <= 0) {
      return;
    }
    wireBytes += len;
    any = true;
    if (!stopped) {
      head.write(b, off, len);
    }
  }

  /** Missing body bytes: identity bodies keep hashing what follows; an encoded stream cannot continue. */
  void gap(long missing) {
    gapBytes += missing;
    any = true;
    if (head instanceof Sink) {
      return;
    }
    if (!stopped) {
      head.flush();   // held bytes decode first, as they would have when they arrived (a cap may stop them)
    }
    if (!stopped) {
      failed = true;
      stopped = true;
    }
  }

  HttpBody finish(String contentType, String contentEncoding, String transferEncoding) {
    if (!stopped) {
      head.finish();
    }
    closeOut();
    String hex = any && sha != null ? HexFormat.of().formatHex(sha.digest()) : null;
    byte[] p = prefixLen == prefix.length ? prefix : java.util.Arrays.copyOf(prefix, prefixLen);
    return new HttpBody(wireBytes, decodedBytes, hex, contentType, contentEncoding, transferEncoding, p, truncated,
        failed, gapBytes);
  }

  private void problem(String reason, String detail) {
    if (ratioWire >= 0) {
      problems.reportAt(replayTs, reason, detail);
    } else {
      problems.report(reason, detail);
    }
  }

  private void fail(String detail) {
    if (!stopped) {
      failed = true;
      stopped = true;
      problem(HttpReasons.DECODE_FAILED, detail);
    }
  }

  /** Counts, hashes and keeps the prefix of decoded bytes; stops everything at the bomb limits. */
  private final class Sink extends Stage {
    @Override
    void write(byte[] b, int off, int len) {
      if (stopped) {
        return;
      }
      long allowed = limits.maxDecodedBytes() - decodedBytes;
      long wire = ratioWire >= 0 ? ratioWire : wireBytes;
      long ratioCap = Math.max(limits.ratioFloorBytes(), (long) limits.maxDecodeRatio() * wire);
      allowed = Math.min(allowed, ratioCap - decodedBytes);
      int n = (int) Math.max(0, Math.min(len, allowed));
      if (n > 0) {
        if (sha != null) {
          sha.update(b, off, n);
        }
        extract(b, off, n);
        if (prefixLen < prefix.length) {
          int k = Math.min(n, prefix.length - prefixLen);
          System.arraycopy(b, off, prefix, prefixLen, k);
          prefixLen += k;
        }
        decodedBytes += n;
      }
      if (n < len) {
        truncated = true;
        stopped = true;
        problem(HttpReasons.DECOMPRESSION_BOMB, "decoded " + decodedBytes + " bytes from " + wire
            + " wire bytes; limit " + limits.maxDecodedBytes() + " bytes or ratio " + limits.maxDecodeRatio());
      }
    }

    /** Decoded bytes not handed over (known to be within the caps): counted only. */
    void count(long n) {
      decodedBytes += n;
    }

    @Override
    void finish() { }
  }

  /**
   * gzip (RFC 1952, header parsed here), zlib (RFC 1950) or raw deflate (RFC 1951), detected from the first bytes.
   *
   * <p>Bodies stream through the JDK's zlib {@link Inflater}, except gzip bodies (the last coding to decode) when
   * there is a {@link FastInflate} backend: their deflate bytes are held (at most {@link FastInflate#MAX_INPUT}) with
   * the wire count each piece arrived at, and decoded in one shot at the end. The shot is taken only where its result
   * cannot differ from streaming: the stream decodes completely and the gzip trailer's CRC-32 and size match, and the
   * decoded size (guessed from the trailer first) stays under the bomb caps as they stood at the first piece, so no
   * cap could have stopped streaming part way. Anything else (a gap, a corrupt or truncated stream, a larger body)
   * replays the held pieces through zlib with their recorded wire counts, then streams: the same decoded bytes,
   * anomalies and counts as if zlib had streamed from the start.
   */
  private final class InflateStage extends Stage {
    private final Stage next;
    /** Inflated output, handed on at once; allocated with the inflater, dropped when it ends. */
    private byte[] out;
    /** The first bytes, collected until the stream is classified; null once it is. */
    private byte[] head = new byte[0];
    private Inflater inflater;
    /** Kind of stream, known once the first bytes are classified: gzip and raw deflate are nowrap. */
    private boolean nowrap;
    private boolean done;
    /** Held deflate bytes (one-shot mode); per piece: end offset in {@code held}, wire count and time at arrival. */
    private byte[] held;
    private int heldLen;
    private long[] pieces;
    private int pieceCount;

    InflateStage(Stage next) {
      this.next = next;
    }

    @Override
    void write(byte[] b, int off, int len) {
      if (done || stopped) {
        return;
      }
      if (head != null) {
        // Classify (and, for gzip, skip the header) in place when the first write holds enough bytes, as it
        // nearly always does; else collect bytes until it can.
        byte[] h = b;
        int hOff = off;
        int hLen = len;
        if (head.length > 0) {
          h = new byte[head.length + len];
          System.arraycopy(head, 0, h, 0, head.length);
          System.arraycopy(b, off, h, head.length, len);
          hOff = 0;
          hLen = h.length;
        }
        int start = start(h, hOff, hLen);
        if (start == -1) {
          if (h != b) {
            head = h;
          } else {
            head = java.util.Arrays.copyOfRange(b, off, off + len);
          }
          if (head.length > 64 * 1024) {
            fail("gzip header too long");
          }
          return;
        }
        if (start == -2) {
          fail("bad gzip header");
          return;
        }
        head = null;
        consume(h, hOff + start, hLen - start);
        return;
      }
      consume(b, off, len);
    }

    private void consume(byte[] b, int off, int len) {
      if (held != null) {
        if ((long) heldLen + len <= FastInflate.MAX_INPUT) {
          hold(b, off, len);
          return;
        }
        replay();
        if (done || stopped) {
          return;
        }
      }
      inflate(b, off, len);
    }

    private void hold(byte[] b, int off, int len) {
      if (heldLen + len > held.length) {
        byte[] bigger = HeldBuffers.take(heldLen + len);
        System.arraycopy(held, 0, bigger, 0, heldLen);
        HeldBuffers.give(held);
        held = bigger;
      }
      System.arraycopy(b, off, held, heldLen, len);
      heldLen += len;
      if (3 * pieceCount + 3 > pieces.length) {
        pieces = java.util.Arrays.copyOf(pieces, pieces.length * 2);
      }
      pieces[3 * pieceCount] = heldLen;
      pieces[3 * pieceCount + 1] = wireBytes;
      pieces[3 * pieceCount + 2] = problems.now();
      pieceCount++;
    }

    /** Streams the held pieces through zlib as they arrived, each checked against its own wire count. */
    private void replay() {
      byte[] h = held;
      held = null;
      int from = 0;
      for (int i = 0; i < pieceCount && !done && !stopped; i++) {
        int to = (int) pieces[3 * i];
        ratioWire = pieces[3 * i + 1];
        replayTs = pieces[3 * i + 2];
        inflate(h, from, to - from);
        from = to;
      }
      ratioWire = -1;
      pieces = null;
      HeldBuffers.give(h);
    }

    /** Decodes the held stream in one shot when that gives what streaming would; true when it did. */
    private boolean oneShot() {
      if (heldLen < 4) {
        return false;
      }
      // ISIZE, the gzip trailer's decoded size mod 2^32, ends the body when nothing follows the member; it is only
      // a guess at the output size (a wrong one fails the shot or is not reached), never trusted for the result.
      long size = (held[heldLen - 4] & 0xffL) | (held[heldLen - 3] & 0xffL) << 8 | (held[heldLen - 2] & 0xffL) << 16
          | (held[heldLen - 1] & 0xffL) << 24;
      long firstWire = pieces[1];
      long cap = Math.min(limits.maxDecodedBytes() - decodedBytes,
          Math.max(limits.ratioFloorBytes(), (long) limits.maxDecodeRatio() * firstWire) - decodedBytes);
      if (size > cap || size > FastInflate.MAX_OUTPUT) {
        return false;
      }
      // Without a hash or a file to write, the sink needs only the prefix and the count: only the first piece comes
      // back from native memory (the console's text blocks: 1.7 GB of copies less on a gzip-heavy 1 GB capture).
      Sink sink = (Sink) next;
      boolean prefixOnly = sha == null && extract == null && out == null;
      int want = prefixOnly ? prefix.length : Integer.MAX_VALUE;
      long n = fast.inflateGzip(held, 0, heldLen, (int) size, next::write, want);
      if (n >= 0 && prefixOnly) {
        sink.count(n - Math.min(n, FastInflate.delivered(want)));
      }
      return n >= 0;
    }

    /**
     * Chooses the inflater from {@code h[o..o+n)}; returns where deflate data starts (relative to {@code o}), -1
     * when more bytes are needed, -2 when invalid.
     */
    private int start(byte[] h, int o, int n) {
      if (n < 2) {
        return -1;
      }
      int b0 = h[o] & 0xff;
      int b1 = h[o + 1] & 0xff;
      if (b0 == 0x1f && b1 == 0x8b) {
        if (n < 10) {
          return -1;
        }
        if ((h[o + 2] & 0xff) != 8) {
          return -2;
        }
        int flg = h[o + 3] & 0xff;
        int p = 10;
        if ((flg & 4) != 0) {
          if (n < p + 2) {
            return -1;
          }
          p += 2 + ((h[o + p] & 0xff) | (h[o + p + 1] & 0xff) << 8);
        }
        for (int bit : new int[] {8, 16}) {
          if ((flg & bit) != 0) {
            while (p < n && h[o + p] != 0) {
              p++;
            }
            if (p >= n) {
              return -1;
            }
            p++;
          }
        }
        if ((flg & 2) != 0) {
          p += 2;
        }
        if (p > n) {
          return -1;
        }
        nowrap = true;
        // Only the last decoding stage holds: its output is what the sink's bomb caps count.
        if (fast != null && next instanceof Sink) {
          held = HeldBuffers.take(n - p);
          pieces = new long[24];
        }
        return p;
      }
      boolean zlib = (b0 & 0x0f) == 8 && (b0 >> 4) <= 7 && ((b0 << 8) | b1) % 31 == 0;
      nowrap = !zlib;
      return 0;
    }

    private void inflate(byte[] b, int off, int len) {
      if (inflater == null) {
        inflater = new Inflater(nowrap);
        out = new byte[16 * 1024];
      }
      inflater.setInput(b, off, len);
      try {
        while (!stopped && !inflater.finished()) {
          int n = inflater.inflate(out);
          if (n > 0) {
            next.write(out, 0, n);
          } else if (inflater.needsInput() || inflater.needsDictionary()) {
            break;
          }
        }
      } catch (DataFormatException e) {
        fail("inflate: " + e.getMessage());
      }
      if (inflater.finished()) {
        // gzip trailer (CRC32, ISIZE) and anything after the first member are not decoded.
        done = true;
        inflater.end();
        out = null;
      }
    }

    /** A gap ends the stream: what arrived before it decodes first, as it would have streaming. */
    @Override
    void flush() {
      if (held != null) {
        replay();
      }
      next.flush();
    }

    @Override
    void finish() {
      if (held != null && !stopped) {
        if (oneShot()) {
          HeldBuffers.give(held);
          held = null;
          pieces = null;
          done = true;
        } else {
          replay();
        }
      }
      if (!done && !stopped) {
        if (head != null && head.length > 0) {
          fail("body too short to decode");
          return;
        }
        if (head == null) {   // a stream was started (its inflater may not exist if no deflate byte came)
          if (inflater != null) {
            inflater.end();
          }
          fail("deflate stream ends early");
          return;
        }
      }
      next.finish();
    }
  }

  /** zstd frames, streamed through zstd-jni's direct-buffer API. */
  private final class ZstdStage extends Stage {
    private final Stage next;
    private ZstdDecompressCtx ctx;
    private ByteBuffer in;
    private ByteBuffer out;
    private final byte[] chunk = new byte[64 * 1024];

    ZstdStage(Stage next) {
      this.next = next;
    }

    @Override
    void write(byte[] b, int off, int len) {
      if (stopped) {
        return;
      }
      if (ctx == null) {
        ctx = new ZstdDecompressCtx();
        in = ByteBuffer.allocateDirect(64 * 1024);
        out = ByteBuffer.allocateDirect(64 * 1024);
      }
      try {
        int p = off;
        int end = off + len;
        while (p < end && !stopped) {
          in.clear();
          int k = Math.min(in.capacity(), end - p);
          in.put(b, p, k);
          in.flip();
          p += k;
          boolean more = true;
          while (more && !stopped) {
            out.clear();
            ctx.decompressDirectByteBufferStream(out, in);
            out.flip();
            int n = out.remaining();
            out.get(chunk, 0, n);
            if (n > 0) {
              next.write(chunk, 0, n);
            }
            more = in.hasRemaining() || n == out.capacity();
          }
        }
      } catch (RuntimeException e) {
        fail("zstd: " + e.getMessage());
      }
    }

    @Override
    void finish() {
      if (ctx != null) {
        ctx.close();
      }
      if (!stopped) {
        next.finish();
      }
    }
  }

  /** br: encoded bytes buffered (bounded), decoded at message end. */
  private final class BrotliStage extends Stage {
    private final Stage next;
    private byte[] buf = new byte[256];
    private int len;

    BrotliStage(Stage next) {
      this.next = next;
    }

    @Override
    void write(byte[] b, int off, int n) {
      if (stopped) {
        return;
      }
      if ((long) len + n > limits.brotliBufferBytes()) {
        failed = true;
        stopped = true;
        problem(HttpReasons.DECODE_BUFFER_EXCEEDED, "br body over " + limits.brotliBufferBytes() + " bytes");
        buf = null;
        return;
      }
      if (len + n > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(len + n, buf.length * 2));
      }
      System.arraycopy(b, off, buf, len, n);
      len += n;
    }

    @Override
    void finish() {
      if (stopped) {
        return;
      }
      byte[] out = new byte[16 * 1024];
      try (BrotliInputStream in = new BrotliInputStream(new ByteArrayInputStream(buf, 0, len))) {
        int n;
        while (!stopped && (n = in.read(out, 0, out.length)) >= 0) {
          if (n > 0) {
            next.write(out, 0, n);
          }
        }
      } catch (IOException | RuntimeException e) {
        fail("br: " + e.getMessage());
        return;
      }
      buf = null;
      if (!stopped) {
        next.finish();
      }
    }
  }
}
