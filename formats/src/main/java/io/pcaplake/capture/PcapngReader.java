package io.pcaplake.capture;

import static io.pcaplake.capture.PcapngBlocks.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the packet blocks (EPB, SPB, obsolete PB) of a pcapng file whose block starts in {@code [start, end)}.
 *
 * <p>A split that starts after 0 walks the blocks from the file start with the very same framing logic (lengths,
 * trailing copies, resync after garbage), without decoding packets or reporting problems, until the first block at
 * or after {@code start}. So it knows the section's byte order and interfaces, and it starts exactly on the boundary
 * the previous split stops at: exactly-once holds by construction, even around corrupt blocks. The walk reads block
 * headers, trailing lengths and SHB/IDB bodies only, skipping other bodies when they are large (the window's sparse
 * mode); its cost still grows with the part of the file before the split (see {@code docs/formats/pcapng.md}).
 */
final class PcapngReader extends RecordCursor {
  static final int CHAIN = 4;
  static final long NONE = Long.MAX_VALUE;
  static final int WINDOW_CAPACITY = (CHAIN + 2) * MAX_BLOCK;

  private final ByteWindow w;
  private final ProblemSink problems;
  private final CaptureInfo sniffed;
  private final long end;
  private final List<PcapngInterface> interfaces = new ArrayList<>();
  private final List<Integer> linkTypes = new ArrayList<>();
  private boolean silent;
  private boolean le;
  private String firstOrder;
  private int firstSnaplen;
  private long pos;
  private boolean done;
  private CaptureInfo info;

  PcapngReader(ByteWindow w, CaptureInfo sniffed, long start, long end, ProblemSink problems) throws IOException {
    this.w = w;
    this.sniffed = sniffed;
    this.problems = problems;
    this.end = end;
    this.le = "LE".equals(sniffed.byteOrder());
    if (start > 0) {
      silent = true;
      w.sparse(true);
      while (!done && pos < start) {
        step();
      }
      w.sparse(false);
      silent = false;
      stats.recordsOk = 0;
      stats.recordsBad = 0;
      stats.bytesSkipped = 0;
      stats.resyncs = 1;
    }
  }

  @Override
  public boolean next() throws IOException {
    while (!done) {
      if (pos >= end) {
        done = true;
        return false;
      }
      if (step()) {
        return true;
      }
    }
    return false;
  }

  /** Processes the block at {@code pos}; true when it produced a record. */
  private boolean step() throws IOException {
    if (!w.fill(pos, pos + 12)) {
      truncated("block header");
      return false;
    }
    Boolean order = orderAt(pos);
    if (order == null) {
      resync(CaptureReasons.PCAPNG_BAD_SECTION_HEADER, "section header without a byte-order magic");
      return false;
    }
    boolean ble = order;
    int type = w.i32(pos, ble);
    long len = w.u32(pos + 4, ble);
    if (!lengthOk(type, len)) {
      resync(CaptureReasons.PCAPNG_BAD_BLOCK_LENGTH, "block type 0x" + Integer.toHexString(type) + " length " + len);
      return false;
    }
    // The walk to a split's start needs the bodies of SHBs and IDBs only; of other blocks, the trailing length copy.
    boolean body = !silent || type == SHB || type == IDB;
    if (!w.fill(body ? pos : pos + len - 4, pos + len)) {
      truncated("block type 0x" + Integer.toHexString(type) + " of " + len + " bytes");
      return false;
    }
    long trailer = w.u32(pos + len - 4, ble);
    if (trailer != len) {
      resync(CaptureReasons.PCAPNG_TRAILING_LENGTH_MISMATCH, "block type 0x" + Integer.toHexString(type)
          + " length " + len + " but trailing copy " + trailer);
      return false;
    }
    boolean produced = false;
    switch (type) {
      case SHB -> section(ble, len);
      case IDB -> interfaceDescription(len);
      case EPB, PB -> produced = !silent && packet(type, len);
      case SPB -> produced = !silent && simplePacket(len);
      default -> { } // NRB, ISB, DSB, custom and unknown blocks: skipped by their length
    }
    pos += len;
    return produced;
  }

  /** Byte order of the block at p: the section's, or an SHB's own; null for an SHB with a bad byte-order magic. */
  private Boolean orderAt(long p) {
    if (w.i32(p, false) != SHB) {
      return le;
    }
    int bom = w.i32(p + 8, true);
    if (bom == BYTE_ORDER_MAGIC) {
      return Boolean.TRUE;
    }
    return Integer.reverseBytes(bom) == BYTE_ORDER_MAGIC ? Boolean.FALSE : null;
  }

  private static boolean lengthOk(int type, long len) {
    if (len < MIN_BLOCK || (len & 3) != 0 || len > MAX_BLOCK) {
      return false;
    }
    return switch (type) {
      case SHB -> len >= MIN_SHB;
      case IDB -> len >= MIN_IDB;
      case EPB, PB -> len >= MIN_EPB;
      case SPB -> len >= MIN_SPB;
      default -> true;
    };
  }

  private void section(boolean ble, long len) {
    le = ble;
    interfaces.clear();
    if (firstOrder == null) {
      firstOrder = ble ? "LE" : "BE";
    }
    int major = w.u16(pos + 12, ble);
    if (major != 1) {
      report(CaptureReasons.PCAPNG_BAD_SECTION_HEADER, pos, "section version " + major + "." + w.u16(pos + 14, ble)
          + " (expected 1.x); reading on");
    }
  }

  private void interfaceDescription(long len) {
    int linkType = w.u16(pos + 8, le);
    long snaplen = w.u32(pos + 12, le);
    int tsresol = PcapngInterface.DEFAULT_TSRESOL;
    long tsoffset = 0;
    int fcs = 0;
    long p = pos + 16;
    long optEnd = pos + len - 4;
    while (p < optEnd) {
      if (p + 4 > optEnd) {
        report(CaptureReasons.PCAPNG_OPTION_OVERRUN, p, "option header past the end of the IDB");
        break;
      }
      int code = w.u16(p, le);
      int olen = w.u16(p + 2, le);
      if (code == OPT_END) {
        break;
      }
      if (p + 4 + olen > optEnd) {
        report(CaptureReasons.PCAPNG_OPTION_OVERRUN, p, "IDB option " + code + " of " + olen
            + " bytes runs past the block end");
        break;
      }
      if (code == IF_TSRESOL && olen >= 1) {
        tsresol = w.u8(p + 4);
      } else if (code == IF_TSOFFSET && olen >= 8) {
        tsoffset = w.i64(p + 4, le);
      } else if (code == IF_FCSLEN && olen >= 1) {
        fcs = w.u8(p + 4);
      }
      p += 4 + olen + pad4(olen);
    }
    interfaces.add(new PcapngInterface(linkType, snaplen, tsresol, tsoffset, fcs));
    if (!linkTypes.contains(linkType)) {
      linkTypes.add(linkType);
      info = null;
    }
    if (firstSnaplen == 0) {
      firstSnaplen = (int) Math.min(snaplen, Integer.MAX_VALUE);
    }
  }

  private boolean packet(int type, long len) {
    int ifId = type == EPB ? w.i32(pos + 8, le) : w.u16(pos + 8, le);
    PcapngInterface iface = iface(ifId);
    if (iface == null) {
      return false;
    }
    long units = (w.u32(pos + 12, le) << 32) | w.u32(pos + 16, le);
    long cap = w.u32(pos + 20, le);
    if (28 + cap + pad4(cap) > len - 4) {
      bad(CaptureReasons.PCAPNG_CAPLEN_EXCEEDS_BLOCK, "caplen " + cap + " does not fit a block of " + len);
      return false;
    }
    set(iface, ifId, pos + 28, cap, w.u32(pos + 24, le), iface.toNanos(units));
    return true;
  }

  private boolean simplePacket(long len) {
    PcapngInterface iface = iface(0);
    if (iface == null) {
      return false;
    }
    long orig = w.u32(pos + 8, le);
    long cap = Math.min(orig, len - 16);
    if (iface.snaplen() > 0) {
      cap = Math.min(cap, iface.snaplen());
    }
    set(iface, 0, pos + 12, cap, orig, 0); // an SPB has no timestamp
    return true;
  }

  private PcapngInterface iface(int id) {
    if (interfaces.isEmpty()) {
      bad(CaptureReasons.PCAPNG_EPB_BEFORE_IDB, "packet block before any interface description in its section");
      return null;
    }
    if (id < 0 || id >= interfaces.size()) {
      bad(CaptureReasons.PCAPNG_UNKNOWN_INTERFACE, "interface " + Integer.toUnsignedString(id) + " but the section has "
          + interfaces.size());
      return null;
    }
    return interfaces.get(id);
  }

  private void set(PcapngInterface iface, int ifId, long dataPos, long cap, long orig, long ts) {
    data = w.array();
    dataOffset = w.index(dataPos);
    caplen = (int) cap;
    origlen = (int) Math.min(orig, Integer.MAX_VALUE);
    timestampNanos = ts;
    linkType = iface.linkType();
    fcsLength = iface.fcsLength();
    interfaceId = ifId;
    recordOffset = pos;
    stats.recordsOk++;
  }

  private void bad(String reason, String detail) {
    stats.recordsBad++;
    report(reason, pos, detail);
  }

  private void report(String reason, long at, String detail) {
    if (!silent) {
      problems.report(reason, at, detail);
    }
  }

  private void truncated(String what) {
    long left = w.end() - pos;
    if (left > 0) {
      stats.recordsBad++;
      stats.bytesSkipped += left;
      report(CaptureReasons.PCAPNG_TRUNCATED_BLOCK, pos, what + " cut by the end of the file after " + left + " bytes");
    }
    done = true;
  }

  /** Skips to the first offset after {@code pos} where a chain of valid blocks starts (or to the end); reports once. */
  private void resync(String reason, String detail) throws IOException {
    long from = pos;
    long c = scan(from + 1);
    long to = c == NONE ? w.end() : c; // NONE only when the scan reached the end of the data
    stats.resyncs++;
    stats.recordsBad++; // one garbage run = one bad record (docs/accounting.md)
    stats.bytesSkipped += to - from;
    report(reason, from, detail + "; skipped " + (to - from) + " bytes to "
        + (c == NONE ? "end of file" : "block at " + c));
    pos = to;
    if (c == NONE) {
      done = true;
    }
  }

  private long scan(long from) throws IOException {
    for (long c = from; ; c++) {
      if (!w.fill(c, c + 12)) {
        return NONE;
      }
      if (chain(c)) {
        return c;
      }
    }
  }

  /**
   * A chain of {@link #CHAIN} blocks of known type with sane lengths and equal trailing copies, or fewer ending exactly
   * at the end of the data, or ending in a block cut by the end of the data (that tail is then reported truncated).
   */
  private boolean chain(long c) throws IOException {
    long p = c;
    boolean order = le;
    for (int i = 0; i < CHAIN; i++) {
      if (!w.fill(c, p + 12)) {
        return i >= 1;
      }
      if (w.i32(p, false) == SHB) {
        int bom = w.i32(p + 8, true);
        if (bom != BYTE_ORDER_MAGIC && Integer.reverseBytes(bom) != BYTE_ORDER_MAGIC) {
          return false;
        }
        order = bom == BYTE_ORDER_MAGIC;
      }
      int type = w.i32(p, order);
      long len = w.u32(p + 4, order);
      if (!known(type) || !lengthOk(type, len)) {
        return false;
      }
      if (!w.fill(c, p + len)) {
        return i >= 1;
      }
      if (w.u32(p + len - 4, order) != len) {
        return false;
      }
      p += len;
    }
    return true;
  }

  @Override
  public CaptureInfo info() {
    if (info == null) {
      info = new CaptureInfo("pcapng", sniffed.compression(), firstOrder == null ? sniffed.byteOrder() : firstOrder,
          false, firstSnaplen, linkTypes, sniffed.splittable(), sniffed.unsplittableReason());
    }
    return info;
  }

  @Override
  public void close() throws IOException {
    w.close();
  }
}
