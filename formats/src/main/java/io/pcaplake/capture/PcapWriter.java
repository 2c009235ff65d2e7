package io.pcaplake.capture;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes a classic pcap file: any of the four magics (µs or ns, either byte order). Buffered; {@link #close()}
 * flushes and closes the stream. Lengths are written as given, so tests can also write inconsistent records.
 */
public final class PcapWriter implements Closeable {
  /** Bytes of the file header. */
  public static final int FILE_HEADER_LENGTH = PcapFileHeader.LENGTH;
  /** Bytes of each record header (before the captured bytes). */
  public static final int RECORD_HEADER_LENGTH = 16;

  private final OutputStream out;
  private final ByteBuffer header;
  private final boolean nanosecond;

  /**
   * @param linkTypeField the header's link type word as written, FCS bits included
   *     (e.g. {@code 1 | 0x04000000 | 2 << 28} for Ethernet with a 4-byte FCS)
   */
  public PcapWriter(OutputStream out, ByteOrder order, boolean nanosecond, int snaplen, int linkTypeField)
      throws IOException {
    this.out = new BufferedOutputStream(out, 1 << 16);
    this.nanosecond = nanosecond;
    this.header = ByteBuffer.allocate(FILE_HEADER_LENGTH).order(order);
    header.putInt(nanosecond ? PcapFileHeader.MAGIC_NS : PcapFileHeader.MAGIC_US).putShort((short) 2)
        .putShort((short) 4).putInt(0).putInt(0).putInt(snaplen).putInt(linkTypeField);
    this.out.write(header.array(), 0, FILE_HEADER_LENGTH);
  }

  /** Writes one record with caplen bytes of {@code frame} from {@code off}. */
  public void write(long tsNanos, byte[] frame, int off, int caplen, int origlen) throws IOException {
    writeHeader(tsNanos, caplen, origlen);
    out.write(frame, off, caplen);
  }

  /** Writes a record header only, e.g. to build a bad file: the caller writes (or omits) the data. */
  public void writeHeader(long tsNanos, long caplen, long origlen) throws IOException {
    long sec = Math.floorDiv(tsNanos, 1_000_000_000L);
    long ns = Math.floorMod(tsNanos, 1_000_000_000L);
    header.clear();
    header.putInt((int) sec).putInt((int) (nanosecond ? ns : ns / 1000)).putInt((int) caplen).putInt((int) origlen);
    out.write(header.array(), 0, RECORD_HEADER_LENGTH);
  }

  /** Writes bytes as they are (garbage, a cut record). */
  public void writeRaw(byte[] bytes, int off, int len) throws IOException {
    out.write(bytes, off, len);
  }

  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
