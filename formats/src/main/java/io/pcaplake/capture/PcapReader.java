package io.pcaplake.capture;

import java.io.IOException;

/**
 * Reads classic pcap records that start in {@code [start, end)}.
 *
 * <p>How a boundary is chosen, in one place (the exactly-once argument is in {@code docs/formats/pcap.md}):
 * <ul>
 *   <li>a split starting after the file header scans from two maximal records before its start for the first
 *       offset whose strict chain covers more than one maximal record (such a chain has joined the true records),
 *       then steps from there exactly as a whole-file read does, silently, up to its start;</li>
 *   <li>from a record, the next boundary is the one its caplen points at, if that header is plausible and near in
 *       time; otherwise the first offset after the record's start passing the tolerant chain check (the record is
 *       trimmed if that lands inside it, the bytes up to it are skipped if it lands beyond);</li>
 *   <li>a split returns the records that this stepping starts in {@code [start, end)}, reading on past {@code end}
 *       to finish the last one.</li>
 * </ul>
 */
final class PcapReader extends RecordCursor {
  private static final int H = PcapRecordRules.HEADER;
  private static final long NONE = PcapRecordRules.NONE;

  private final ByteWindow w;
  private final PcapFileHeader header;
  private final PcapRecordRules rules;
  private final CaptureInfo info;
  private final ProblemSink problems;
  private final long end;
  private final boolean le;
  private final long fracToNanos;

  private long pos;
  /** Records stepped over before this are the previous split's: not returned, counted or reported. */
  private final long start;
  /** The header at {@code pos} has been checked already (by the previous record's look-ahead or a resync). */
  private boolean checked;
  private boolean done;
  private boolean warnedSnaplen;

  PcapReader(ByteWindow w, PcapFileHeader header, CaptureInfo info, long start, long end, ProblemSink problems)
      throws IOException {
    this.w = w;
    this.header = header;
    this.rules = new PcapRecordRules(header);
    this.info = info;
    this.start = start;
    this.problems = (reason, offset, detail) -> {
      if (offset < 0 || offset >= start) {
        problems.report(reason, offset, detail);
      }
    };
    this.end = end;
    this.le = header.littleEndian();
    this.fracToNanos = header.nanosecond() ? 1 : 1000;
    this.data = w.array();
    this.linkType = header.linkType();
    this.fcsLength = header.fcsLength();
    long from = rules.scanFrom(start);
    if (from <= PcapFileHeader.LENGTH) {
      pos = PcapFileHeader.LENGTH;
    } else {
      stats.resyncs++;
      pos = rules.scanLongChain(w, from);
      checked = true;
      if (pos == NONE) {
        done = true; // no record boundary from here to the end of the data
      }
    }
  }

  static int windowCapacity(PcapFileHeader header) {
    return new PcapRecordRules(header).windowCapacity();
  }

  /** Where a split's stream must start: where its boundary scan starts. */
  static long streamStart(PcapFileHeader header, long start) {
    return new PcapRecordRules(header).scanFrom(start);
  }

  @Override
  public boolean next() throws IOException {
    while (!done) {
      if (pos >= end) {
        done = true;
        return false;
      }
      if (!w.fill(pos, pos + H)) {
        truncatedAtEnd("partial record header");
        return false;
      }
      long sec = w.u32(pos, le);
      if (!checked && !rules.plausible(w, pos)) {
        skipGarbage(sec);
        continue;
      }
      long cap = w.u32(pos + 8, le);
      long next = pos + H + cap;
      if (!w.fill(pos, next)) {
        truncatedAtEnd("record needs " + cap + " bytes");
        return false;
      }
      boolean nextChecked = true;
      if (w.fill(pos, next + H) && !(rules.plausible(w, next) && PcapRecordRules.near(sec, w.u32(next, le)))) {
        long inside = rules.scan(w, pos, pos + 1, next, true);
        if (inside == NONE) {
          nextChecked = false; // the successor is garbage: skipped when we get there
        } else if (inside < pos + H) {
          skipTo(inside, "record header overlaps the record at " + inside);
          continue;
        } else {
          problems.report(CaptureReasons.PCAP_RECORD_TRIMMED, pos, "caplen " + cap + " runs into the record at "
              + inside + "; trimmed to " + (inside - pos - H));
          cap = inside - pos - H;
          next = inside;
        }
      }
      boolean ours = pos >= start;
      if (ours) {
        emit(sec, cap);
      }
      pos = next;
      checked = nextChecked;
      if (ours) {
        return true;
      }
    }
    return false;
  }

  private void emit(long sec, long cap) {
    data = w.array();
    dataOffset = w.index(pos + H);
    caplen = (int) cap;
    origlen = (int) w.u32(pos + 12, le);
    timestampNanos = sec * 1_000_000_000L + w.u32(pos + 4, le) * fracToNanos;
    recordOffset = pos;
    stats.recordsOk++;
    if (cap > rules.snaplen && !warnedSnaplen) {
      warnedSnaplen = true;
      problems.report(CaptureReasons.PCAP_CAPLEN_EXCEEDS_SNAPLEN, pos, "caplen " + cap + " > snaplen "
          + rules.snaplen + " (tolerated up to " + rules.maxCaplen + "; reported once per reader)");
    }
  }

  private void skipGarbage(long sec) throws IOException {
    long bad = pos;
    String why = "caplen " + w.u32(pos + 8, le) + " origlen " + w.u32(pos + 12, le) + " frac " + w.u32(pos + 4, le)
        + " ts_sec " + sec;
    long c = rules.scan(w, -1, pos + 1, NONE, true);
    long to = c == NONE ? w.end() : c; // NONE only when the scan reached the end of the data
    if (bad >= start) {
      stats.resyncs++;
      stats.recordsBad++; // one garbage run = one bad record (docs/accounting.md)
      stats.bytesSkipped += to - bad;
    }
    problems.report(CaptureReasons.PCAP_BAD_RECORD_HEADER, bad, why + "; skipped " + (to - bad) + " bytes to "
        + (c == NONE ? "end of file" : "next record at " + c));
    if (c == NONE) {
      done = true;
    }
    pos = to;
    checked = true;
  }

  private void skipTo(long c, String why) {
    if (pos >= start) {
      stats.resyncs++;
      stats.recordsBad++;
      stats.bytesSkipped += c - pos;
    }
    problems.report(CaptureReasons.PCAP_BAD_RECORD_HEADER, pos, why + "; skipped " + (c - pos) + " bytes");
    pos = c;
    checked = true;
  }

  private void truncatedAtEnd(String why) {
    long left = w.end() - pos;
    if (left > 0 && pos >= start) {
      stats.recordsBad++;
      stats.bytesSkipped += left;
      problems.report(CaptureReasons.PCAP_TRUNCATED_RECORD, pos, why + ", file ends " + left + " bytes after its start");
    }
    done = true;
  }

  @Override public CaptureInfo info() { return info; }

  @Override
  public void close() throws IOException {
    w.close();
  }
}
