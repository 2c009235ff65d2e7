package io.pcaplake.capture;

import java.io.IOException;
import java.io.InputStream;

/**
 * A sliding window over a stream, addressed by absolute (decompressed) file offsets. It grows only when it is full of
 * bytes actually read, so a lying length field can never make it allocate more than about twice the data behind it;
 * {@code maxCapacity} bounds it regardless.
 *
 * <p>In {@linkplain #sparse sparse} mode (a pcapng split walking block headers up to its start) a request that starts
 * more than {@link #SPARSE_READ} bytes beyond the buffered ones skips the stream forward (a seek for files) and reads
 * only {@link #SPARSE_READ} bytes there, instead of reading the bytes in between; reads that run on without a jump
 * double in size up to the buffer (small blocks are read through in big reads). A later request for skipped bytes
 * reopens the source there. Only an uncompressed source (given to the constructor)
 * can be sparse.
 */
final class ByteWindow {
  static final int INITIAL_CAPACITY = 1 << 20;
  /** What a split's first read takes beyond its end: usually the record that straddles the end and the next header. */
  static final int LOOKAHEAD = 4096;
  /** Largest read in sparse mode; a gap longer than this is skipped (a seek for files) rather than read. */
  static final int SPARSE_READ = 8192;

  private final ByteSource source;
  private InputStream in;
  private final int maxCapacity;
  private final ProblemSink problems;
  private final boolean compressed;
  private byte[] buf;
  private long base;
  private int len;
  private boolean eof;
  private boolean sparse;
  /** Size of the next read in sparse mode: {@link #SPARSE_READ} after a jump, doubling while reads run on. */
  private int sparseRead = SPARSE_READ;

  /**
   * @param expected bytes the reader expects to need from {@code base} (see {@link #expectedBytes}): a small file or a
   *     small split gets a small first buffer and a small first read; -1 when unknown
   */
  ByteWindow(InputStream in, long base, long expected, int maxCapacity, boolean compressed, ProblemSink problems) {
    this(null, in, base, expected, maxCapacity, compressed, problems);
  }

  /** @param source where {@code in} was opened (uncompressed), so that sparse mode can reopen it; or null */
  ByteWindow(ByteSource source, InputStream in, long base, long expected, int maxCapacity, boolean compressed,
             ProblemSink problems) {
    this.source = source;
    this.in = in;
    this.base = base;
    this.maxCapacity = maxCapacity;
    this.compressed = compressed;
    this.problems = problems;
    long initial = expected < 0 ? INITIAL_CAPACITY : Math.min(INITIAL_CAPACITY, Math.max(4096, expected + 64));
    this.buf = new byte[(int) Math.min(initial, maxCapacity)];
  }

  /**
   * What a reader of the split {@code [.., end)} whose stream starts at {@code from} expects to need of an uncompressed
   * file of {@code length} bytes: up to the split end plus {@link #LOOKAHEAD}, or the rest of the file. The window grows
   * (doubling) if a record runs further.
   */
  static long expectedBytes(long from, long end, long length) {
    long rest = Math.max(0, length - from);
    return end - from >= rest - LOOKAHEAD ? rest : end - from + LOOKAHEAD;
  }

  /** Sparse mode on or off; see the class comment. Needs the source. */
  void sparse(boolean on) {
    if (on && (source == null || compressed)) {
      throw new IllegalStateException("sparse reads need an uncompressed source");
    }
    sparse = on;
  }

  byte[] array() { return buf; }

  long base() { return base; }

  /** One past the last buffered byte. */
  long end() { return base + len; }

  int index(long pos) { return (int) (pos - base); }

  /**
   * Makes {@code [keep, until)} available, discarding bytes before {@code keep} if room is needed.
   * Returns false when the stream ends first (then {@link #end()} says how far it got).
   */
  boolean fill(long keep, long until) throws IOException {
    if (keep < base && source != null && !compressed) {
      reopen(keep); // a sparse walk skipped these bytes and now needs them (a resync after a bad block)
    }
    if (until <= base + len) {
      return true;
    }
    if (eof) {
      return false;
    }
    if (keep < base || until - keep > maxCapacity) {
      throw new IllegalStateException("window request [" + keep + "," + until + ") outside [" + base + ", cap "
          + maxCapacity + "]");
    }
    if (sparse && keep - (base + len) > SPARSE_READ && !skipTo(keep)) { // a large block: jump, then read small
      return false;
    }
    while (base + len < until) {
      if (until - base > buf.length || len == buf.length) {
        compact(keep);
      }
      if (len == buf.length) {
        // Grow only when the buffer is full of bytes actually read: a length field that asks for more than the data
        // holds (a 16 MiB caplen in a 100-byte file) must not allocate what it asks for. Found by fuzzing.
        byte[] bigger = new byte[(int) Math.min(maxCapacity, (long) buf.length * 2)];
        System.arraycopy(buf, 0, bigger, 0, len);
        buf = bigger;
      }
      int n = read(buf, len, sparse ? (int) Math.min(buf.length - len, Math.max(sparseRead, until - base - len))
          : buf.length - len);
      sparseRead = (int) Math.min((long) sparseRead * 2, buf.length); // read on through small blocks in big reads
      if (n < 0) {
        eof = true;
        return false;
      }
      len += n;
    }
    return true;
  }

  /** Drops the buffer and skips the stream forward to {@code to}; false (and eof) if the data ends first. */
  private boolean skipTo(long to) throws IOException {
    long n = to - (base + len);
    while (n > 0) {
      long s = in.skip(n);
      if (s <= 0) {
        if (in.read() < 0) {
          break;
        }
        s = 1;
      }
      n -= s;
    }
    base = to - n;
    len = 0;
    sparseRead = SPARSE_READ;
    eof = n > 0;
    return !eof;
  }

  private void reopen(long at) throws IOException {
    in.close();
    in = source.openAt(at);
    base = at;
    len = 0;
    sparseRead = SPARSE_READ;
    eof = false;
  }

  private void compact(long keep) {
    int drop = (int) (Math.min(keep, base + len) - base); // a sparse read may keep from beyond the buffered bytes
    if (drop > 0) {
      System.arraycopy(buf, drop, buf, 0, len - drop);
      len -= drop;
      base += drop;
    }
  }

  private int read(byte[] b, int off, int n) throws IOException {
    if (!compressed) {
      return in.read(b, off, n);
    }
    try {
      return in.read(b, off, n);
    } catch (IOException e) {
      // A corrupt or cut compressed stream is bad content, not a failing disk: keep what was decoded.
      problems.report(CaptureReasons.DECOMPRESS_ERROR, base + len, String.valueOf(e.getMessage()));
      return -1;
    }
  }

  int u8(long pos) { return buf[index(pos)] & 0xFF; }

  int u16(long pos, boolean le) {
    int i = index(pos);
    return le ? (buf[i] & 0xFF) | (buf[i + 1] & 0xFF) << 8 : (buf[i] & 0xFF) << 8 | (buf[i + 1] & 0xFF);
  }

  int i32(long pos, boolean le) {
    return Bytes.i32(buf, index(pos), le);
  }

  long u32(long pos, boolean le) {
    return i32(pos, le) & 0xFFFFFFFFL;
  }

  long i64(long pos, boolean le) {
    long a = u32(pos, le);
    long b = u32(pos + 4, le);
    return le ? b << 32 | a : a << 32 | b;
  }

  void close() throws IOException {
    in.close();
  }
}
