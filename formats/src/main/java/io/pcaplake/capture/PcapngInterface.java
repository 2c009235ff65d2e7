package io.pcaplake.capture;

/**
 * One interface description of a pcapng section.
 *
 * @param tsresol raw if_tsresol byte (MSB clear: 10^-n seconds, MSB set: 2^-n seconds); 6 when absent
 * @param tsoffsetSeconds if_tsoffset, added to every timestamp
 * @param fcsLength if_fcslen, or 0
 */
record PcapngInterface(int linkType, long snaplen, int tsresol, long tsoffsetSeconds, int fcsLength) {
  static final int DEFAULT_TSRESOL = 6;

  /** Converts a raw 64-bit timestamp (in units of the interface resolution) to ns since the epoch. */
  long toNanos(long units) {
    int n = tsresol & 0x7F;
    long ns;
    if ((tsresol & 0x80) == 0) {
      if (n <= 9) {
        ns = units * POW10[9 - n];
      } else {
        long div = n - 9 < POW10.length ? POW10[n - 9] : Long.MAX_VALUE;
        ns = Long.divideUnsigned(units, div);
      }
    } else if (n == 0) {
      ns = units * 1_000_000_000L;
    } else if (n >= 64) {
      ns = 0;
    } else {
      long sec = units >>> n;
      long frac = units & ((1L << n) - 1);
      // frac * 1e9 / 2^n without overflow: split 1e9 = 2^9 * 1953125.
      long fracNs = Math.multiplyHigh(frac << (64 - n), 1_000_000_000L);
      if ((frac << (64 - n)) < 0) {
        fracNs += 1_000_000_000L; // multiplyHigh is signed; correct for the top bit
      }
      ns = sec * 1_000_000_000L + fracNs;
    }
    return ns + tsoffsetSeconds * 1_000_000_000L;
  }

  private static final long[] POW10 = {
      1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
      10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
      1_000_000_000_000_000L, 1_000_000_000_000_000_000L};
}
