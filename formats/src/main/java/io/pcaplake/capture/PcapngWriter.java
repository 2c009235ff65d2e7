package io.pcaplake.capture;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a pcapng file: sections in either byte order, interfaces with if_tsresol (10^-n, or 2^-n with the MSB set),
 * if_tsoffset and if_fcslen, and EPB, SPB, obsolete PB, ISB, NRB and custom blocks. Interface ids are per section,
 * as in the format. Buffered; {@link #close()} flushes and closes the stream.
 */
public final class PcapngWriter implements Closeable {
  private final OutputStream out;
  private ByteOrder order;
  private final List<long[]> interfaces = new ArrayList<>(); // {tsresol, tsoffset, snaplen}

  public PcapngWriter(OutputStream out, ByteOrder order) throws IOException {
    this.out = new BufferedOutputStream(out, 1 << 16);
    newSection(order);
  }

  /** Starts a new section (an SHB) in the given byte order; interface ids start again at 0. */
  public void newSection(ByteOrder order) throws IOException {
    this.order = order;
    interfaces.clear();
    ByteBuffer b = body(16);
    b.putInt(PcapngBlocks.BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0).putLong(-1L);
    block(PcapngBlocks.SHB, b);
  }

  /**
   * Adds an interface description to the current section.
   *
   * @param tsresol raw if_tsresol (6 = µs, 9 = ns, 0x80 | n = 2^-n s); 6 is written as "no option"
   * @param tsoffsetSeconds if_tsoffset, 0 for none
   * @param fcsLength if_fcslen, negative for none
   * @return the interface id within the section
   */
  public int addInterface(int linkType, int snaplen, int tsresol, long tsoffsetSeconds, int fcsLength)
      throws IOException {
    ByteBuffer b = body(8 + 8 + 16 + 8 + 4);
    b.putShort((short) linkType).putShort((short) 0).putInt(snaplen);
    if (tsresol != PcapngInterface.DEFAULT_TSRESOL) {
      b.putShort((short) PcapngBlocks.IF_TSRESOL).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
    }
    if (tsoffsetSeconds != 0) {
      b.putShort((short) PcapngBlocks.IF_TSOFFSET).putShort((short) 8).putLong(tsoffsetSeconds);
    }
    if (fcsLength >= 0) {
      b.putShort((short) PcapngBlocks.IF_FCSLEN).putShort((short) 1).put((byte) fcsLength).put(new byte[3]);
    }
    b.putShort((short) 0).putShort((short) 0);
    block(PcapngBlocks.IDB, b);
    interfaces.add(new long[] {tsresol, tsoffsetSeconds, snaplen});
    return interfaces.size() - 1;
  }

  /** Enhanced Packet Block; the timestamp is converted to the interface's resolution and offset. */
  public void writeEpb(int iface, long tsNanos, byte[] bytes, int off, int caplen, int origlen) throws IOException {
    long units = units(iface, tsNanos);
    ByteBuffer b = body(20 + caplen + PcapngBlocks.pad4(caplen));
    b.putInt(iface).putInt((int) (units >>> 32)).putInt((int) units).putInt(caplen).putInt(origlen);
    b.put(bytes, off, caplen).put(new byte[PcapngBlocks.pad4(caplen)]);
    block(PcapngBlocks.EPB, b);
  }

  /** Obsolete Packet Block (type 2): 16-bit interface id and drops count, otherwise like an EPB. */
  public void writeObsoletePb(int iface, long tsNanos, byte[] bytes, int off, int caplen, int origlen)
      throws IOException {
    long units = units(iface, tsNanos);
    ByteBuffer b = body(20 + caplen + PcapngBlocks.pad4(caplen));
    b.putShort((short) iface).putShort((short) 0).putInt((int) (units >>> 32)).putInt((int) units).putInt(caplen)
        .putInt(origlen);
    b.put(bytes, off, caplen).put(new byte[PcapngBlocks.pad4(caplen)]);
    block(PcapngBlocks.PB, b);
  }

  /** Simple Packet Block: no timestamp, interface 0; writes {@code min(origlen, snaplen)} bytes as the format says. */
  public void writeSpb(byte[] bytes, int off, int origlen) throws IOException {
    long snap = interfaces.isEmpty() ? 0 : interfaces.get(0)[2];
    int cap = snap > 0 ? (int) Math.min(origlen, snap) : origlen;
    ByteBuffer b = body(4 + cap + PcapngBlocks.pad4(cap));
    b.putInt(origlen).put(bytes, off, cap).put(new byte[PcapngBlocks.pad4(cap)]);
    block(PcapngBlocks.SPB, b);
  }

  /** Custom block (0x00000BAD) with a Private Enterprise Number and opaque data. */
  public void writeCustomBlock(int pen, byte[] payload) throws IOException {
    ByteBuffer b = body(4 + payload.length + PcapngBlocks.pad4(payload.length));
    b.putInt(pen).put(payload).put(new byte[PcapngBlocks.pad4(payload.length)]);
    block(PcapngBlocks.CUSTOM, b);
  }

  /** Interface Statistics Block with a timestamp and no options. */
  public void writeIsb(int iface, long tsNanos) throws IOException {
    long units = units(iface, tsNanos);
    ByteBuffer b = body(12);
    b.putInt(iface).putInt((int) (units >>> 32)).putInt((int) units);
    block(PcapngBlocks.ISB, b);
  }

  /** Name Resolution Block with one IPv4 record. */
  public void writeNrb(byte[] ipv4, String name) throws IOException {
    byte[] n = (name + "\0").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    int rec = 4 + n.length;
    ByteBuffer b = body(4 + rec + PcapngBlocks.pad4(rec) + 4);
    b.putShort((short) 1).putShort((short) rec).put(ipv4, 0, 4).put(n).put(new byte[PcapngBlocks.pad4(rec)]);
    b.putShort((short) 0).putShort((short) 0);
    block(PcapngBlocks.NRB, b);
  }

  /** Any block, body as given (padded to 4 bytes here). For tests of unknown block types. */
  public void writeBlock(int type, byte[] body) throws IOException {
    ByteBuffer b = body(body.length + PcapngBlocks.pad4(body.length));
    b.put(body).put(new byte[PcapngBlocks.pad4(body.length)]);
    block(type, b);
  }

  /** Writes bytes as they are (garbage, a cut block). */
  public void writeRaw(byte[] bytes, int off, int len) throws IOException {
    out.write(bytes, off, len);
  }

  private long units(int iface, long tsNanos) {
    long[] i = interfaces.get(iface);
    int tsresol = (int) i[0];
    long ns = tsNanos - i[1] * 1_000_000_000L;
    int n = tsresol & 0x7F;
    if ((tsresol & 0x80) == 0) {
      long f = 1;
      for (int k = 0; k < Math.abs(9 - n); k++) {
        f *= 10;
      }
      return n <= 9 ? ns / f : ns * f;
    }
    long sec = Math.floorDiv(ns, 1_000_000_000L);
    long frac = Math.floorMod(ns, 1_000_000_000L);
    // round up so that reading back (which truncates) gives the written nanosecond when the resolution allows
    long fracUnits = n >= 30 ? java.math.BigInteger.valueOf(frac).shiftLeft(n)
        .add(java.math.BigInteger.valueOf(999_999_999L)).divide(java.math.BigInteger.valueOf(1_000_000_000L))
        .longValue() : ((frac << n) + 999_999_999L) / 1_000_000_000L;
    return (sec << n) + fracUnits;
  }

  private ByteBuffer body(int capacity) {
    return ByteBuffer.allocate(capacity).order(order);
  }

  private void block(int type, ByteBuffer body) throws IOException {
    int len = 12 + body.position();
    ByteBuffer h = ByteBuffer.allocate(8).order(order).putInt(type).putInt(len);
    out.write(h.array());
    out.write(body.array(), 0, body.position());
    out.write(ByteBuffer.allocate(4).order(order).putInt(len).array());
  }

  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

}
