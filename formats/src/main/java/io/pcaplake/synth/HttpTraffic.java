package io.pcaplake.synth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * HTTP/1.1 message bytes to feed into a {@link TcpConversation}. Headers go out in the order given; the helpers add
 * {@code Content-Length} or {@code Transfer-Encoding: chunked} themselves. Concatenate messages for keep-alive and
 * pipelining. Output is deterministic (gzip with a zero mtime).
 */
public final class HttpTraffic {
  private HttpTraffic() { }

  static final String CRLF = "\r\n";

  /** One header line. */
  public record Header(String name, String value) {
    public Header {
      if (name.isEmpty() || name.contains(":") || (name + value).contains("\r") || (name + value).contains("\n")) {
        throw new IllegalArgumentException("bad header " + name + ": " + value);
      }
    }
  }

  public static Header header(String name, String value) {
    return new Header(name, value);
  }

  public static Header bearer(String token) {
    return new Header("Authorization", "Bearer " + token);
  }

  public static Header basic(String user, String password) {
    String cred = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return new Header("Authorization", "Basic " + cred);
  }

  /**
   * A request. A non-null body gets a Content-Length (an empty body gets {@code Content-Length: 0}); null sends
   * none, as for a GET.
   */
  public static byte[] request(String method, String target, String host, List<Header> headers, byte[] body) {
    List<Header> all = new ArrayList<>();
    all.add(new Header("Host", host));
    all.addAll(headers);
    if (body != null) {
      all.add(new Header("Content-Length", Integer.toString(body.length)));
    }
    return message(method + " " + target + " HTTP/1.1", all, body == null ? new byte[0] : body);
  }

  /** A response with a Content-Length body. */
  public static byte[] response(int status, String reason, List<Header> headers, byte[] body) {
    List<Header> all = new ArrayList<>(headers);
    all.add(new Header("Content-Length", Integer.toString(body.length)));
    return message(statusLine(status, reason), all, body);
  }

  /** A response with a chunked body, chunks of {@code chunkSize} bytes (the last one shorter), no trailers. */
  public static byte[] chunkedResponse(int status, String reason, List<Header> headers, byte[] body, int chunkSize) {
    if (chunkSize <= 0) {
      throw new IllegalArgumentException("chunk size " + chunkSize);
    }
    List<Header> all = new ArrayList<>(headers);
    all.add(new Header("Transfer-Encoding", "chunked"));
    return message(statusLine(status, reason), all, chunked(body, chunkSize));
  }

  /** A response whose body is gzip-compressed, with {@code Content-Encoding: gzip}; chunked when chunkSize > 0. */
  public static byte[] gzipResponse(int status, String reason, List<Header> headers, byte[] body, int chunkSize) {
    List<Header> all = new ArrayList<>(headers);
    all.add(new Header("Content-Encoding", "gzip"));
    byte[] z = gzip(body);
    return chunkSize > 0 ? chunkedResponse(status, reason, all, z, chunkSize) : response(status, reason, all, z);
  }

  /** The chunked transfer coding of {@code body}: hex size lines, data, and the zero-size last chunk. */
  public static byte[] chunked(byte[] body, int chunkSize) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int off = 0; off < body.length; off += chunkSize) {
      int n = Math.min(chunkSize, body.length - off);
      out.writeBytes((Integer.toHexString(n) + CRLF).getBytes(StandardCharsets.US_ASCII));
      out.write(body, off, n);
      out.writeBytes(CRLF.getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("0" + CRLF + CRLF).getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  public static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Concatenates messages, e.g. several requests on one keep-alive connection. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String statusLine(int status, String reason) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status " + status);
    }
    return "HTTP/1.1 " + status + " " + reason;
  }

  private static byte[] message(String startLine, List<Header> headers, byte[] body) {
    StringBuilder sb = new StringBuilder(startLine).append(CRLF);
    for (Header h : headers) {
      sb.append(h.name()).append(": ").append(h.value()).append(CRLF);
    }
    sb.append(CRLF);
    return concat(sb.toString().getBytes(StandardCharsets.ISO_8859_1), body);
  }
}
