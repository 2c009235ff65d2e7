package io.pcaplake.fuzz;

import static io.pcaplake.fuzz.FuzzSupport.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.github.luben.zstd.Zstd;
import io.pcaplake.http.HttpAnomaly;
import io.pcaplake.http.HttpBody;
import io.pcaplake.http.HttpConnection;
import io.pcaplake.http.HttpExchange;
import io.pcaplake.http.HttpLimits;
import io.pcaplake.http.HttpListener;
import io.pcaplake.http.HttpReasons;
import io.pcaplake.synth.HttpTraffic;
import io.pcaplake.tcp.TcpDirection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Content decoding (gzip, x-gzip, deflate as zlib and raw, br, zstd, stacked, unknown codings) of one response body
 * through the parser, framed by Content-Length, chunked or close. Input: 8 limit bytes, a mode byte (encode the
 * plaintext with the real encoders or send the fuzzer's bytes as the encoded body; framing; a gap; a corrupted byte),
 * up to 3 codings, then the plaintext / body. br has no encoder on the JVM: its stage always gets the bytes as given
 * (the seeds hold real br streams).
 *
 * <p>Checks: no exception; bounded time; decoded size within {@code maxDecodedBytes} and the ratio cap, the prefix
 * within {@code bodyPrefixBytes}; {@code truncated} exactly when {@code http.decompression_bomb} was reported;
 * wire bytes = the encoded body's length when nothing was lost; and <b>round trip</b>: a plaintext encoded by real
 * encoders (no br, no corruption, no gap, under {@code maxDecodedBytes} and {@code ratioFloorBytes}) decodes to exactly its bytes (size and SHA-256), not
 * failed, not truncated.
 */
class ContentDecodingFuzzTest {
  static final String[] CODINGS = {"gzip", "x-gzip", "deflate", "deflate-raw", "br", "zstd", "identity", "compress"};

  @FuzzTest(maxDuration = "2m")
  void fuzz(byte[] data) {
    FuzzSupport.In in = new FuzzSupport.In(data);
    HttpLimits limits = HttpLimits.DEFAULTS.withDecodeCaps(in.u16() * 64L, 1 + in.u8(), in.u16() * 16L)
        .withBodyPrefixBytes(in.u8()).withBrotliBufferBytes(in.u16() * 4);
    int mode = in.u8();
    boolean encode = (mode & 1) != 0;
    int framing = (mode >> 1) & 3;          // 0 length, 1 chunked, 2 close, 3 chunked with extensions
    boolean gap = (mode & 8) != 0;
    boolean corrupt = (mode & 16) != 0;
    int corruptAt = in.u16();
    int chunk = 1 + in.u8();
    int n = in.u8() % 4;
    List<String> codings = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      codings.add(CODINGS[in.u8() % CODINGS.length]);
    }
    byte[] plain = in.rest();
    byte[] body = plain;
    boolean exact = encode && !corrupt && !gap;
    if (encode) {
      for (String c : codings) {
        switch (c) {
          case "gzip", "x-gzip" -> body = HttpTraffic.gzip(body);
          case "deflate" -> body = deflate(body, false);
          case "deflate-raw" -> body = deflate(body, true);
          case "zstd" -> body = Zstd.compress(body);
          case "identity" -> { }
          default -> exact = false;   // br, compress: no encoder, the bytes go as they are
        }
      }
    }
    if (corrupt && body.length > 0) {
      body = body.clone();
      body[corruptAt % body.length] ^= (byte) (1 + (corruptAt >> 8));
    }
    String header = codings.isEmpty() ? "" : "Content-Encoding: "
        + String.join(", ", codings.stream().map(c -> c.equals("deflate-raw") ? "deflate" : c).toList()) + "\r\n";
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    String framingHeader = switch (framing) {
      case 0 -> "Content-Length: " + body.length + "\r\n";
      case 2 -> "";
      default -> "Transfer-Encoding: chunked\r\n";
    };
    wire.writeBytes(("HTTP/1.1 200 OK\r\n" + header + framingHeader + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    int head = wire.size();
    if (framing == 1 || framing == 3) {
      for (int off = 0; off < body.length; off += chunk) {
        int k = Math.min(chunk, body.length - off);
        wire.writeBytes((Integer.toHexString(k) + (framing == 3 ? ";x=\"y\"" : "") + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        wire.write(body, off, k);
        wire.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
      wire.writeBytes("0\r\nTrailer: t\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    } else {
      wire.writeBytes(body);
    }
    byte[] w = wire.toByteArray();

    Collector c = new Collector();
    HttpConnection conn = new HttpConnection("f", limits, c);
    long t0 = System.nanoTime();
    byte[] req = "GET / HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    conn.deliver(TcpDirection.CLIENT_TO_SERVER, req, 0, req.length, 0, 1);
    int frag = 1 + chunk * 3;
    if (gap) {
      // the bytes [gapAt, gapAt + gapLen) of the server stream are lost
      int gapAt = head + corruptAt % Math.max(1, w.length - head + 1);
      int gapLen = (int) Math.min(1 + (corruptAt & 63), Math.max(0, w.length - gapAt));
      send(conn, w, 0, gapAt, 0, frag);
      if (gapLen > 0) {
        conn.gap(TcpDirection.SERVER_TO_CLIENT, gapAt, gapLen);
      }
      send(conn, w, gapAt + gapLen, w.length, gapAt + gapLen, frag);
    } else {
      send(conn, w, 0, w.length, 0, frag);
    }
    conn.finish();
    long took = System.nanoTime() - t0;
    check(took < FuzzSupport.TIME_BUDGET_NANOS, "decoding took " + took / 1_000_000 + " ms");

    // one exchange; after a gap the parser may resync on body bytes that look like a status line: more then
    check(c.exchanges.size() == 1 || gap && !c.exchanges.isEmpty(), "exchanges " + c.exchanges.size());
    HttpExchange e = c.exchanges.get(0);
    check(e.response() != null, "no response");
    HttpBody b = e.response().body();
    check(b != null, "no body");
    check(b.decodedBytes() <= limits.maxDecodedBytes(), "decoded " + b.decodedBytes() + " > cap");
    long ratioCap = Math.max(limits.ratioFloorBytes(), (long) limits.maxDecodeRatio() * b.wireBytes());
    check(b.decodedBytes() <= ratioCap, "decoded " + b.decodedBytes() + " > ratio cap " + ratioCap);
    check(b.prefix().length <= limits.bodyPrefixBytes(), "prefix " + b.prefix().length);
    check(b.truncated() == c.reasons.contains(HttpReasons.DECOMPRESSION_BOMB) || c.exchanges.size() > 1,
        "truncated " + b.truncated() + " vs anomalies " + c.reasons);
    if (!gap) {
      check(b.wireBytes() == body.length, "wire bytes " + b.wireBytes() + ", body " + body.length);
    }
    // The ratio cap applies to the wire bytes *so far* (a bomb is cut while it streams): a plaintext is sure to pass
    // only under the floor. (First fuzzing run: a gzip body whose first segment inflates past ratio x wire-so-far.)
    boolean underCaps = plain.length <= limits.maxDecodedBytes() && plain.length <= limits.ratioFloorBytes();
    if (exact && underCaps) {
      check(!b.decodeFailed() && !b.truncated(), "round trip failed: " + c.reasons);
      check(b.decodedBytes() == plain.length, "decoded " + b.decodedBytes() + ", plaintext " + plain.length);
      check(plain.length == 0 || sha256(plain).equals(b.sha256()), "decoded bytes differ from the plaintext");
    }
  }

  /** Delivers w[from, to) at stream offset {@code offset} in fragments of {@code frag} bytes. */
  static void send(HttpConnection conn, byte[] w, int from, int to, long offset, int frag) {
    for (int p = from; p < to; p += frag) {
      int k = Math.min(frag, to - p);
      conn.deliver(TcpDirection.SERVER_TO_CLIENT, w, p, k, offset + (p - from), 2);
    }
  }

  static byte[] deflate(byte[] b, boolean raw) {
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
    d.setInput(b);
    d.finish();
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    while (!d.finished()) {
      o.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return o.toByteArray();
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static final class Collector implements HttpListener {
    final List<HttpExchange> exchanges = new ArrayList<>();
    final List<String> reasons = new ArrayList<>();

    @Override
    public void exchange(HttpExchange e) {
      exchanges.add(e);
    }

    @Override
    public void anomaly(HttpAnomaly a) {
      check(a.reason().startsWith("http."), a.reason());
      reasons.add(a.reason());
    }
  }
}
