package io.pcaplake.capture;

/**
 * Running counters of one reader. Every record the reader looked at is either returned ({@code recordsOk}) or counted
 * bad ({@code recordsBad}); bytes the reader could not attribute to a record are {@code bytesSkipped}, and each run of
 * them (one {@code pcap.bad_record_header}, {@code pcapng.bad_block_length} or
 * {@code pcapng.trailing_length_mismatch} report) also counts as one bad record. Bytes skipped at a split start are
 * the previous split's and count nowhere.
 */
public final class CaptureStats {
  long recordsOk;
  long recordsBad;
  long bytesSkipped;
  long resyncs;

  public long recordsOk() { return recordsOk; }
  public long recordsBad() { return recordsBad; }
  public long bytesSkipped() { return bytesSkipped; }
  /** How many times the reader had to search for the next record boundary (split start, garbage). */
  public long resyncs() { return resyncs; }

  @Override
  public String toString() {
    return "records_ok=" + recordsOk + " records_bad=" + recordsBad + " bytes_skipped=" + bytesSkipped
        + " resyncs=" + resyncs;
  }
}
