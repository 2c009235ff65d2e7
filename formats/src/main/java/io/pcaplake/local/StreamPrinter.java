package io.pcaplake.local;

import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.flow.FlowKey;
import io.pcaplake.flow.StreamSink;
import io.pcaplake.http.HttpHeader;
import io.pcaplake.http.Secrets;
import io.pcaplake.http.SecretsOptions;
import io.pcaplake.tcp.ConnectionInfo;
import io.pcaplake.tcp.TcpDirection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pcaplake flow}'s default output: each connection's reassembled streams, printed when the connection ends,
 * as tcpflow's console mode ({@code -c}) labels them: every run of bytes sent in one direction starts with
 * {@code SRC-DST: } (IPv4 octets and ports zero-padded, {@code 100.105.004.216.50720-100.100.102.017.08000: }), in
 * the order the bytes were delivered; unlike tcpflow, bytes are reassembled (no retransmitted copies, no
 * arrival-order jumble) and a hole the capture does not hold is shown as {@code [... N bytes missing ...]}, never as
 * NULs. Payload bytes are written as they are (binary safe, as tcpflow does), except credentials: unless the
 * printer keeps secrets, the value of every header line the project treats as a credential
 * ({@link HttpHeader#isSensitive}: Authorization, Cookie, API keys ...) is replaced by its {@code fp:<hex>}
 * fingerprint ({@link Secrets#mask}), as in the tables. A header line is recognised at a line start in the bytes
 * held, so one split by a forced early print (below) may escape it.
 *
 * <p>Memory: a connection's output is held until it ends, up to {@link #CONNECTION_BYTES}; past that (a long
 * download) what is held is printed and the rest follows as it is delivered. All connections together hold at most
 * {@link #TOTAL_BYTES}: past that, the connection being appended to is printed so far. Thread-safe: connections
 * of several flow-table workers print whole, one at a time.
 */
public final class StreamPrinter implements StreamSink.Factory {
  static final int CONNECTION_BYTES = 1 << 20;
  static final long TOTAL_BYTES = 64L << 20;
  /** A header line ({@code Name: value}) whose name may be a credential's. */
  private static final Pattern HEADER_LINE = Pattern.compile("(?m)^([A-Za-z0-9_-]{1,64}):[ \\t]*([^\\r\\n]*)");
  private static final Pattern CREDENTIAL_HINT =
      Pattern.compile("(?i)(authorization|cookie|api[-_]?key|auth-token)\\s*:");
  private final OutputStream out;
  private final Secrets secrets;
  private long held;
  private long connections;

  /** Raw bytes, credentials included (as {@code --keep-secrets}). */
  public StreamPrinter(OutputStream out) {
    this(out, null);
  }

  /** @param secrets fingerprints credential header values; null keeps them raw */
  public StreamPrinter(OutputStream out, SecretsOptions secrets) {
    this.out = out;
    this.secrets = secrets == null || secrets.keepSecrets() ? null : new Secrets(secrets);
  }

  /** {@code bytes} with each credential header value replaced by its fingerprint. */
  byte[] mask(byte[] bytes, int length) {
    String text = new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    if (!CREDENTIAL_HINT.matcher(text).find()) {
      return null;
    }
    Matcher m = HEADER_LINE.matcher(text);
    StringBuilder sb = new StringBuilder(length + 64);
    boolean changed = false;
    while (m.find()) {
      if (HttpHeader.isSensitive(m.group(1))) {
        String masked = secrets.mask(new HttpHeader(m.group(1), m.group(2))).value();
        m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + ": " + masked));
        changed = true;
      }
    }
    if (!changed) {
      return null;
    }
    m.appendTail(sb);
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Connections printed so far. */
  public long connections() {
    return connections;
  }

  @Override
  public StreamSink open(String flowId, FlowKey key, ConnectionInfo info) {
    return new Conn(key, info);
  }

  /** {@code SRC-DST: } as tcpflow names a direction. */
  static String label(byte[] src, int srcPort, byte[] dst, int dstPort) {
    return endpoint(src, srcPort) + "-" + endpoint(dst, dstPort) + ": ";
  }

  static String endpoint(byte[] addr, int port) {
    StringBuilder sb = new StringBuilder(48);
    if (addr.length == 4) {
      for (byte b : addr) {
        int v = b & 0xff;
        sb.append((char) ('0' + v / 100)).append((char) ('0' + v / 10 % 10)).append((char) ('0' + v % 10))
            .append('.');
      }
    } else {
      for (int i = 0; i < addr.length; i += 2) {
        int v = ((addr[i] & 0xff) << 8) | (addr[i + 1] & 0xff);
        for (int shift = 12; shift >= 0; shift -= 4) {
          sb.append(Character.forDigit((v >>> shift) & 0xf, 16));
        }
        sb.append(i < 14 ? ':' : '.');
      }
    }
    String p = Integer.toString(port);
    for (int i = p.length(); i < 5; i++) {
      sb.append('0');
    }
    return sb.append(p).toString();
  }

  private final class Conn implements StreamSink {
    final byte[] clientLabel;
    final byte[] serverLabel;
    final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
    TcpDirection last;
    boolean lineOpen;

    Conn(FlowKey key, ConnectionInfo info) {
      byte[] client = info.clientIsA() ? key.addrA() : key.addrB();
      byte[] server = info.clientIsA() ? key.addrB() : key.addrA();
      clientLabel = label(client, info.clientPort(), server, info.serverPort()).getBytes(StandardCharsets.US_ASCII);
      serverLabel = label(server, info.serverPort(), client, info.clientPort()).getBytes(StandardCharsets.US_ASCII);
    }

    private void turn(TcpDirection d) {
      if (d != last) {
        endLine();
        buf.writeBytes(d.fromClient() ? clientLabel : serverLabel);
        last = d;
      }
    }

    private void endLine() {
      if (lineOpen) {
        buf.write('\n');
        lineOpen = false;
      }
    }

    @Override
    public void deliver(TcpDirection direction, byte[] b, int off, int len, long streamOffset, long ts) {
      if (len <= 0) {
        return;
      }
      int before = buf.size();
      turn(direction);
      buf.write(b, off, len);
      lineOpen = b[off + len - 1] != '\n';
      grew(before);
    }

    @Override
    public void gap(TcpDirection direction, long streamOffset, long missingBytes) {
      int before = buf.size();
      turn(direction);
      endLine();
      buf.writeBytes(("[... " + missingBytes + " bytes missing ...]\n").getBytes(StandardCharsets.US_ASCII));
      grew(before);
    }

    private void grew(int before) {
      synchronized (StreamPrinter.this) {
        held += buf.size() - before;
      }
      if (buf.size() >= CONNECTION_BYTES || held >= TOTAL_BYTES) {
        flush();
        last = null;  // the next piece printed repeats its label
      }
    }

    private void flush() {
      synchronized (StreamPrinter.this) {
        write();
      }
    }

    private void write() {
      try {
        byte[] masked = secrets == null ? null : mask(buf.toByteArray(), buf.size());
        if (masked != null) {
          out.write(masked);
        } else {
          buf.writeTo(out);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      held -= buf.size();
      buf.reset();
    }

    @Override
    public void close(ConnectionRecord connection) {
      endLine();
      synchronized (StreamPrinter.this) {
        write();
        connections++;
      }
    }
  }
}
