package io.pcaplake.local;

import io.pcaplake.capture.ByteSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Arrays;

/**
 * A {@link ByteSource} over a stream that can be read only once (standard input). The capture readers open a source
 * more than once: to sniff the first bytes, then to read. The first {@link #HEAD} bytes are kept, so any number of
 * opens may read within them; one open may go past them, and it continues the stream. A second open past the head is
 * an I/O error (a split or a sparse re-read, which a stream cannot give).
 */
final class StreamByteSource implements ByteSource {
  static final int HEAD = 64 << 10;
  private final String name;
  private final InputStream in;
  private byte[] head;
  private int headLength;
  private boolean streamTaken;

  StreamByteSource(String name, InputStream in) {
    this.name = name;
    this.in = in;
  }

  @Override
  public String name() {
    return name;
  }

  /** Unknown until read: the largest length, so readers size their windows by their own bounds. */
  @Override
  public long length() {
    return Long.MAX_VALUE;
  }

  @Override
  public InputStream openAt(long offset) throws IOException {
    fillHead();
    int from = (int) Math.min(Math.max(0, offset), headLength);
    if (offset > headLength && headLength < HEAD) {
      from = headLength;  // short stream: offset beyond the end
    }
    InputStream headPart = new HeadStream(from);
    if (headLength < HEAD) {
      return headPart;
    }
    return new SequenceInputStream(headPart, new TailStream(offset - HEAD));
  }

  private void fillHead() throws IOException {
    if (head == null) {
      head = new byte[HEAD];
      headLength = in.readNBytes(head, 0, HEAD);
    }
  }

  /** The kept head bytes from {@code from}. */
  private final class HeadStream extends InputStream {
    private int pos;

    HeadStream(int from) {
      this.pos = from;
    }

    @Override
    public int read() {
      return pos < headLength ? head[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= headLength) {
        return -1;
      }
      int n = Math.min(len, headLength - pos);
      System.arraycopy(head, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  /** The live stream after the head; claimed by the first read that gets there. */
  private final class TailStream extends InputStream {
    private long skip;
    private boolean claimed;

    TailStream(long skip) {
      this.skip = Math.max(0, skip);
    }

    private void claim() throws IOException {
      if (claimed) {
        return;
      }
      if (streamTaken) {
        throw new IOException(name + ": a stream can be read only once (no split or re-read past its first "
            + HEAD + " bytes)");
      }
      streamTaken = true;
      claimed = true;
      head = Arrays.copyOf(head, headLength);  // nothing will need more than what was kept
      while (skip > 0) {
        long n = in.skip(skip);
        if (n <= 0) {
          if (in.read() < 0) {
            break;
          }
          n = 1;
        }
        skip -= n;
      }
    }

    @Override
    public int read() throws IOException {
      claim();
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      claim();
      return in.read(b, off, len);
    }
  }
}
