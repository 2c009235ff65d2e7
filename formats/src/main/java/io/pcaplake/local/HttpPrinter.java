package io.pcaplake.local;

import io.pcaplake.http.HttpBody;
import io.pcaplake.http.HttpExchange;
import io.pcaplake.http.HttpHeader;
import io.pcaplake.http.HttpRecord;
import io.pcaplake.report.JsonStrings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * {@code pcaplake flow --http} and {@code --json}: one block (or one JSON line) per HTTP exchange, printed as the
 * exchange completes. The values are the {@code http} table's row, so credentials are already fingerprinted
 * ({@code fp:<hex>}) unless the run keeps secrets.
 *
 * <p>Text block: a {@code ==} line (client, server, flow id, exchange index, request time), the request line and
 * headers, a blank line, the response status line and headers, and a {@code --} line with the latency, body sizes,
 * content types and the printable start of each decoded body ({@link #BODY_CHARS} characters at most; binary bodies
 * are not shown). JSON: the row's columns by name ({@link HttpRecord#COLUMNS}), timestamps as ISO-8601 UTC strings,
 * header lists as arrays of {@code {"name", "value"}}.
 */
public final class HttpPrinter implements BiConsumer<HttpRecord, HttpExchange> {
  static final int BODY_CHARS = 160;
  private static final Set<String> TIMESTAMPS = Set.of("request_ts", "response_ts", "auth_jwt_exp", "auth_jwt_iat");
  private final Writer out;
  private final boolean json;
  private final ThreadLocal<StringBuilder> buffers = ThreadLocal.withInitial(() -> new StringBuilder(4096));
  private long printed;

  /** @param json one JSON object per line instead of text blocks */
  public HttpPrinter(Writer out, boolean json) {
    this.out = out;
    this.json = json;
  }

  /** True when the output shows the bodies' SHA-256 (JSON lines carry every http column; text blocks do not). */
  public boolean showsBodyHashes() {
    return json;
  }

  /** Exchanges printed so far. */
  public long printed() {
    return printed;
  }

  /** Formats on the caller's thread, then appends the block whole under the printer's lock: thread-safe. */
  @Override
  public void accept(HttpRecord r, HttpExchange ex) {
    StringBuilder b = buffers.get();
    b.setLength(0);
    String text = format(b, r, ex);
    synchronized (this) {
      try {
        out.write(text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      printed++;
    }
  }

  private String format(StringBuilder b, HttpRecord r, HttpExchange ex) {
    Formatter f = new Formatter(b);
    if (json) {
      f.json(r);
    } else {
      f.text(r, ex);
    }
    return b.toString();
  }

  /** The start of a body as one line of printable text, or null when it does not look like text. */
  static String printable(byte[] prefix) {
    String s = new String(prefix, 0, prefix.length, java.nio.charset.StandardCharsets.UTF_8);
    StringBuilder t = new StringBuilder(Math.min(BODY_CHARS, s.length()));
    int bad = 0;
    int n = 0;
    for (int i = 0; i < s.length() && t.length() < BODY_CHARS; i++, n++) {
      char c = s.charAt(i);
      if (c == '\n' || c == '\r' || c == '\t') {
        t.append(' ');
      } else if (c < 0x20 || c == 0x7f || c == '\ufffd') {
        bad++;
        t.append('.');
      } else {
        t.append(c);
      }
    }
    return bad * 10 > Math.max(1, n) ? null : t.toString();
  }

  /** A timestamp-micros value as ISO-8601 UTC with microseconds. */
  static String iso(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
        .toString();
  }

  /** Formats one exchange into a builder. */
  private static final class Formatter {
    private final StringBuilder sb;

    Formatter(StringBuilder sb) {
      this.sb = sb;
    }

    private void text(HttpRecord r, HttpExchange ex) {
      sb.append("== ").append(r.clientIp()).append(':').append(r.clientPort()).append(" -> ").append(r.serverIp())
          .append(':').append(r.serverPort());
      if (r.vlan() != null) {
        sb.append(" vlan ").append(r.vlan());
      }
      sb.append("  flow ").append(r.flowId()).append(" #").append(r.exchangeIndex());
      if (r.requestTs() != null) {
        sb.append("  ").append(iso(r.requestTs()));
      }
      sb.append('\n');
      if (r.method() != null) {
        sb.append(r.method()).append(' ').append(r.uri()).append(' ')
            .append(ex.request() == null || ex.request().version() == null ? "" : ex.request().version()).append('\n');
        headers(r.requestHeaders());
      } else {
        sb.append("(request not captured)\n");
      }
      sb.append('\n');
      if (r.statusCode() != null) {
        sb.append(ex.response().version() == null ? "HTTP/?" : ex.response().version()).append(' ')
            .append(r.statusCode());
        if (r.statusReason() != null) {
          sb.append(' ').append(r.statusReason());
        }
        sb.append('\n');
        headers(r.responseHeaders());
      } else {
        sb.append("(no response captured)\n");
      }
      sb.append("-- ");
      if (r.latencyMs() != null) {
        long micros = Math.round(r.latencyMs() * 1000);
        sb.append("latency ").append(micros / 1000).append('.');
        long frac = Math.abs(micros % 1000);
        sb.append((char) ('0' + frac / 100)).append((char) ('0' + frac / 10 % 10)).append((char) ('0' + frac % 10))
            .append(" ms, ");
      }
      body("request", r.requestBodyBytes(), r.requestContentType(), ex.request() == null ? null : ex.request().body());
      sb.append(", ");
      body("response", r.responseBodyBytes(), r.responseContentType(),
          ex.response() == null ? null : ex.response().body());
      if (!r.requestComplete() || (r.statusCode() != null && !r.responseComplete())) {
        sb.append(", incomplete");
      }
      if (r.gapBytes() > 0) {
        sb.append(", ").append(r.gapBytes()).append(" bytes missing");
      }
      sb.append("\n\n");
    }

    private void headers(List<HttpHeader> headers) {
      if (headers == null) {
        return;
      }
      for (HttpHeader h : headers) {
        sb.append(h.name()).append(": ").append(h.value()).append('\n');
      }
    }

    private void body(String side, Long bytes, String type, HttpBody body) {
      sb.append(side).append(" body ").append(bytes == null ? 0 : bytes).append(" bytes");
      if (type != null) {
        sb.append(" (").append(type).append(')');
      }
      if (body != null && body.prefix() != null && body.prefix().length > 0) {
        String p = printable(body.prefix());
        if (p != null) {
          sb.append(": ").append(p);
          if (bytes != null && bytes > body.prefix().length || p.length() < body.prefix().length) {
            sb.append("...");
          }
        } else {
          sb.append(": (binary)");
        }
      }
    }

    private void json(HttpRecord r) {
      List<String> names = HttpRecord.COLUMNS;
      List<Object> values = r.values();
      sb.append('{');
      for (int i = 0; i < names.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        quote(names.get(i));
        sb.append(':');
        Object v = values.get(i);
        if (v == null) {
          sb.append("null");
        } else if (TIMESTAMPS.contains(names.get(i))) {
          quote(iso((Long) v));
        } else if (v instanceof String s) {
          quote(s);
        } else if (v instanceof List<?> list) {
          sb.append('[');
          for (int k = 0; k < list.size(); k++) {
            HttpHeader h = (HttpHeader) list.get(k);
            sb.append(k == 0 ? "{\"name\":" : ",{\"name\":");
            quote(h.name());
            sb.append(",\"value\":");
            quote(h.value());
            sb.append('}');
          }
          sb.append(']');
        } else if (v instanceof Double d) {
          sb.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
        } else {
          sb.append(v);  // Integer, Long, Boolean
        }
      }
      sb.append("}\n");
    }

    private void quote(String s) {
      JsonStrings.quote(s, sb);
    }
  }
}
