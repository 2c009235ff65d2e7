package io.pcaplake.capture;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a pcapng split needs to start reading without walking the file from its start: the offset of the first block
 * at or after the split start (as the walk finds it: same framing, same resyncs), the section's byte order and its
 * interface table as of that block, and what the walk learnt for {@link CaptureReader#info()} (first section's
 * order, first snaplen, link types seen). Computed for all splits of a file by one walk ({@link
 * Captures#splitStates}), carried by the split as {@link #encode() bytes}, given back to {@link
 * Captures#openSplit(ByteSource, long, long, SplitState, ProblemSink)}.
 */
public final class SplitState {
  private static final int VERSION = 1;
  /** A state with a larger interface table is not made (the split walks instead): 16 bytes per interface. */
  static final int MAX_INTERFACES = 4096;

  private final long start;
  private final long offset;
  private final boolean done;
  private final boolean littleEndian;
  private final List<PcapngInterface> interfaces;
  private final List<Integer> linkTypes;
  private final String firstOrder;
  private final int firstSnaplen;

  SplitState(long start, long offset, boolean done, boolean littleEndian, List<PcapngInterface> interfaces,
             List<Integer> linkTypes, String firstOrder, int firstSnaplen) {
    this.start = start;
    this.offset = offset;
    this.done = done;
    this.littleEndian = littleEndian;
    this.interfaces = List.copyOf(interfaces);
    this.linkTypes = List.copyOf(linkTypes);
    this.firstOrder = firstOrder;
    this.firstSnaplen = firstSnaplen;
  }

  /** The split start this state is for. */
  public long start() { return start; }

  /** Offset of the first block the split reads (at or after {@link #start()}). */
  public long offset() { return offset; }

  /** True when the walk reached the end of the data (or a cut block) before the split start: nothing to read. */
  public boolean done() { return done; }

  boolean littleEndian() { return littleEndian; }

  List<PcapngInterface> interfaces() { return interfaces; }

  List<Integer> linkTypes() { return linkTypes; }

  String firstOrder() { return firstOrder; }

  int firstSnaplen() { return firstSnaplen; }

  /** Compact bytes: about 40 + 16 per interface. */
  public byte[] encode() {
    ByteArrayOutputStream bos = new ByteArrayOutputStream(40 + 16 * interfaces.size());
    try (DataOutputStream out = new DataOutputStream(bos)) {
      out.writeByte(VERSION);
      out.writeLong(start);
      out.writeLong(offset);
      out.writeByte((done ? 1 : 0) | (littleEndian ? 2 : 0));
      out.writeByte(firstOrder == null ? 0 : "LE".equals(firstOrder) ? 1 : 2);
      out.writeInt(firstSnaplen);
      out.writeInt(linkTypes.size());
      for (int lt : linkTypes) {
        out.writeShort(lt);
      }
      out.writeInt(interfaces.size());
      for (PcapngInterface i : interfaces) {
        out.writeShort(i.linkType());
        out.writeInt((int) i.snaplen());
        out.writeByte(i.tsresol());
        out.writeLong(i.tsoffsetSeconds());
        out.writeByte(i.fcsLength());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    return bos.toByteArray();
  }

  /** The inverse of {@link #encode()}; IllegalArgumentException for bytes it did not write. */
  public static SplitState decode(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalArgumentException("split state version " + version + ", expected " + VERSION);
      }
      long start = in.readLong();
      long offset = in.readLong();
      int flags = in.readUnsignedByte();
      int first = in.readUnsignedByte();
      int firstSnaplen = in.readInt();
      int nLinks = in.readInt();
      if (nLinks < 0 || nLinks > 1 << 16) {
        throw new IllegalArgumentException("split state with " + nLinks + " link types");
      }
      List<Integer> links = new ArrayList<>(nLinks);
      for (int i = 0; i < nLinks; i++) {
        links.add(in.readUnsignedShort());
      }
      int nIfaces = in.readInt();
      if (nIfaces < 0 || nIfaces > MAX_INTERFACES) {
        throw new IllegalArgumentException("split state with " + nIfaces + " interfaces");
      }
      List<PcapngInterface> ifaces = new ArrayList<>(nIfaces);
      for (int i = 0; i < nIfaces; i++) {
        ifaces.add(new PcapngInterface(in.readUnsignedShort(), in.readInt() & 0xFFFFFFFFL, in.readUnsignedByte(),
            in.readLong(), in.readUnsignedByte()));
      }
      if (in.read() >= 0) {
        throw new IllegalArgumentException("split state has trailing bytes");
      }
      return new SplitState(start, offset, (flags & 1) != 0, (flags & 2) != 0, ifaces, links,
          first == 0 ? null : first == 1 ? "LE" : "BE", firstSnaplen);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a split state: " + e, e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SplitState s && start == s.start && offset == s.offset && done == s.done
        && littleEndian == s.littleEndian && firstSnaplen == s.firstSnaplen && interfaces.equals(s.interfaces)
        && linkTypes.equals(s.linkTypes) && Objects.equals(firstOrder, s.firstOrder);
  }

  @Override
  public int hashCode() {
    return Objects.hash(start, offset, interfaces.size());
  }

  @Override
  public String toString() {
    return "SplitState[start=" + start + " offset=" + offset + (done ? " done" : "") + " " + (littleEndian ? "LE" : "BE")
        + " interfaces=" + interfaces.size() + "]";
  }
}
