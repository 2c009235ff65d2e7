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
  /** Longest header name looked at (as HTTP parsers bound them); a longer token before ':' is not a header. */
  private static final int MAX_NAME = 64;
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

  /**
   * {@code bytes} with each credential header value replaced by its fingerprint, or null when there is none. A
   * header line is a line start (the buffer's start, or after CR or LF) followed by a name of 1 to 64 token
   * characters ({@code A-Z a-z 0-9 _ -}), a colon, optional blanks and the value up to CR, LF or the end; it becomes
   * {@code Name: fp:<hex>}. One pass over the bytes, no regular expression: streams are mostly bodies, and a
   * backtracking scan over a MiB of JavaScript cost half of {@code pcaplake flow}'s CPU.
   */
  byte[] mask(byte[] bytes, int length) {
    ByteArrayOutputStream masked = null;
    int copied = 0;
    int i = 0;
    while (i < length) {
      int name = i;
      while (i < length && i - name <= MAX_NAME && isNameChar(bytes[i])) {
        i++;
      }
      int nameEnd = i;
      boolean header = nameEnd > name && nameEnd - name <= MAX_NAME && i < length && bytes[i] == ':';
      if (header) {
        i++;
        while (i < length && (bytes[i] == ' ' || bytes[i] == '\t')) {
          i++;
        }
      }
      int value = i;
      while (i < length && bytes[i] != '\n' && bytes[i] != '\r') {
        i++;
      }
      if (header) {
        String n = new String(bytes, name, nameEnd - name, StandardCharsets.ISO_8859_1);
        if (HttpHeader.isSensitive(n)) {
          String v = new String(bytes, value, i - value, StandardCharsets.ISO_8859_1);
          if (masked == null) {
            masked = new ByteArrayOutputStream(length + 64);
          }
          masked.write(bytes, copied, name - copied);
          masked.writeBytes((n + ": " + secrets.mask(new HttpHeader(n, v)).value())
              .getBytes(StandardCharsets.ISO_8859_1));
          copied = i;
        }
      }
      if (i < length) {
        i++;   // the CR or LF: the next byte starts a line
      }
    }
    if (masked == null) {
      return null;
    }
    masked.write(bytes, copied, length - copied);
    return masked.toByteArray();
  }

  private static boolean isNameChar(byte c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
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
