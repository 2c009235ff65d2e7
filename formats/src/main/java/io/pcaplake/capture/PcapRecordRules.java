package io.pcaplake.capture;

/**
 * What a plausible classic pcap record header looks like, and the chain check that finds record boundaries without a
 * sync marker. See {@code docs/formats/pcap.md} for the parameters and the odds of a false boundary.
 *
 * <ul>
 *   <li>{@code caplen <= maxCaplen}: 256 KiB (libpcap's largest snaplen for most link types), or the file snaplen if
 *       larger, up to 16 MiB;</li>
 *   <li>{@code 1 <= origlen}, {@code caplen <= origlen <= max(maxCaplen, 256 KiB)};</li>
 *   <li>fraction below 10^6 (µs files) or 10^9 (ns files);</li>
 *   <li>neighbouring records less than {@link #MAX_TS_STEP_SECONDS} apart.</li>
 * </ul>
 */
final class PcapRecordRules {
  static final int HEADER = 16;
  static final int CHAIN = 4;
  static final long LIBPCAP_MAX_SNAPLEN = 262_144;
  static final long MAX_SNAPLEN_HONOURED = 16L << 20;
  static final long MAX_TS_STEP_SECONDS = 86_400;
  static final long NONE = Long.MAX_VALUE;

  final boolean le;
  final long maxCaplen;
  final long maxOriglen;
  final long fracLimit;
  /** Caplen up to which a record exceeds snaplen without being bad (reported once). */
  final long snaplen;

  PcapRecordRules(PcapFileHeader h) {
    this.le = h.littleEndian();
    long snap = h.snaplen() == 0 ? LIBPCAP_MAX_SNAPLEN : h.snaplen();
    this.snaplen = snap;
    this.maxCaplen = Math.max(LIBPCAP_MAX_SNAPLEN, Math.min(snap, MAX_SNAPLEN_HONOURED));
    this.maxOriglen = Math.max(maxCaplen, LIBPCAP_MAX_SNAPLEN);
    this.fracLimit = h.nanosecond() ? 1_000_000_000L : 1_000_000L;
  }

  /**
   * Largest window a check can need: a split-start chain over {@link #span()} plus its last record, or the current
   * record plus a chain of {@link #CHAIN} after it.
   */
  int windowCapacity() {
    return (int) ((CHAIN + 3) * (HEADER + maxCaplen) + HEADER);
  }

  /** The reader's check of the header it is about to read: lengths only (libpcap accepts fractions >= 10^6). */
  boolean plausible(ByteWindow w, long p) {
    long cap = w.u32(p + 8, le);
    long orig = w.u32(p + 12, le);
    return cap <= maxCaplen && orig >= 1 && orig >= cap && orig <= maxOriglen;
  }

  /**
   * A chain member: {@link #plausible}, a valid fraction and at least one captured byte. A split start also needs
   * {@code ts_sec >= 10^6} (µs) or {@code >= 10^9} (ns): a header read 4, 8 or 12 bytes late has a fraction or a
   * length in its seconds field, so this rejects the shifted copies of real headers (files older than that are read
   * unsplit, by the earlier split reading on).
   */
  private boolean member(ByteWindow w, long p, boolean strict) {
    return plausible(w, p) && w.u32(p + 4, le) < fracLimit && w.u32(p + 8, le) >= 1
        && (!strict || w.u32(p, le) >= fracLimit);
  }

  static boolean near(long prevSec, long sec) {
    return Math.abs(sec - prevSec) <= MAX_TS_STEP_SECONDS;
  }

  /**
   * Whether {@code c} starts a chain of plausible, linked headers whose timestamps are near each other: {@link #CHAIN}
   * headers, or fewer ending exactly at the end of the data. {@code tolerateTruncatedTail} also accepts a chain whose
   * last record or header is cut by the end of the data (used after garbage, where that tail gets reported).
   * Keeps the window from {@code keep}.
   */
  boolean chain(ByteWindow w, long keep, long c, boolean tolerateTruncatedTail) throws java.io.IOException {
    return linked(w, keep, c, CHAIN, 0, tolerateTruncatedTail, !tolerateTruncatedTail);
  }

  /**
   * Walks linked chain members from {@code c} until there are {@code members} of them and they cover
   * {@code span} bytes. A chain cut by the end of the data passes with one member ending exactly there, or, when
   * {@code tolerateTruncatedTail}, after two linked complete headers: a header shifted by a byte or two is often
   * plausible on its own, and one whose record runs past the end of the data would otherwise pass alone.
   */
  private boolean linked(ByteWindow w, long keep, long c, int members, long span, boolean tolerateTruncatedTail,
                         boolean strict) throws java.io.IOException {
    long p = c;
    long prevSec = 0;
    for (int i = 0; i < members || p < c + span; i++) {
      if (!w.fill(keep, p + HEADER)) {
        return w.end() == p ? i >= 1 : tolerateTruncatedTail && i >= 2;
      }
      if (!member(w, p, strict)) {
        return false;
      }
      long sec = w.u32(p, le);
      if (i > 0 && !near(prevSec, sec)) {
        return false;
      }
      prevSec = sec;
      p += HEADER + w.u32(p + 8, le);
    }
    return true;
  }

  /**
   * The span a split-start chain must cover: one maximal record. A header-like pattern inside a payload can chain
   * only as far as the payload that holds it; a chain covering more than the longest possible record has crossed
   * at least one true record boundary, and from there on it follows the true records.
   */
  long span() {
    return HEADER + maxCaplen;
  }

  /** Where a split's scan starts: two spans back, so the candidate found joins the true chain before the split. */
  long scanFrom(long start) {
    return Math.max(PcapFileHeader.LENGTH, start - 2 * span());
  }

  /**
   * The first offset at or after {@code from} that starts a strict chain covering at least {@link #span()} bytes
   * (or reaching the end of the data, exactly or with a cut last record after two linked headers), or
   * {@link #NONE}.
   */
  long scanLongChain(ByteWindow w, long from) throws java.io.IOException {
    for (long c = from; ; c++) {
      if (!w.fill(c, c + HEADER)) {
        return NONE;
      }
      if (member(w, c, true) && longChain(w, c)) {
        return c;
      }
    }
  }

  private boolean longChain(ByteWindow w, long c) throws java.io.IOException {
    return linked(w, c, c, 1, span(), true, true);
  }

  /** First offset in {@code [from, limit)} passing {@link #chain}, or {@link #NONE}. Keeps the window from the candidate. */
  long scan(ByteWindow w, long keep, long from, long limit, boolean tolerateTruncatedTail)
      throws java.io.IOException {
    for (long c = from; c < limit; c++) {
      long k = keep < 0 ? c : keep;
      if (!w.fill(k, c + HEADER)) {
        return NONE; // fewer than 16 bytes left: no chain can start here or later
      }
      if (member(w, c, !tolerateTruncatedTail) && chain(w, k, c, tolerateTruncatedTail)) {
        return c;
      }
    }
    return NONE;
  }
}
