package io.pcaplake.capture;

/**
 * Receives every problem a reader or decoder finds. Problems are data, not exceptions: the reader reports
 * a stable dotted reason code (see {@code docs/anomalies.md}) and carries on where it can.
 */
@FunctionalInterface
public interface ProblemSink {

  /**
   * @param reason stable dotted lower-case code, e.g. {@code pcap.truncated_record}
   * @param offset byte offset in the (decompressed) capture where the problem was found, or -1
   * @param detail human-readable detail for the {@code anomalies.detail} column
   */
  void report(String reason, long offset, String detail);

  /** Drops every problem; for callers that only want the counters. */
  ProblemSink IGNORE = (reason, offset, detail) -> { };
}
