package io.pcaplake.packet;

import io.pcaplake.capture.CaptureStats;

/**
 * Per-file record accounting ({@code docs/accounting.md}): every record a reader looked at is decoded, unsupported
 * or malformed. Feed it each returned record's {@link DecodeStatus} and, when the reader is done, its
 * {@link CaptureStats}; then {@link #read()} (the reader's count) equals {@link #recordsOk()} +
 * {@link #unsupported()} + {@link #recordsBad()}, which {@link #unaccounted()} checks.
 *
 * <ul>
 *   <li>{@code recordsOk} (decoded): status {@code ok}, {@code fragment} or {@code not_ip}; a record that completed
 *       an IP datagram counts as {@code fragment} whatever the datagram's transport decoding gave (a reader that
 *       defers fragments to another decoder must count the same: {@link #decoded(DecodedPacket)});</li>
 *   <li>{@code unsupported}: status {@code unsupported_link_type};</li>
 *   <li>{@code recordsBad} (malformed): records the reader counted bad (truncated, garbage, bad block) plus status
 *       {@code truncated} or {@code malformed}.</li>
 * </ul>
 * The {@code captures} table's {@code packets} is {@link #packets()} (records returned by the reader).
 */
public final class RecordAccount {
  private long readerOk;
  private long readerBad;
  private long decoded;
  private long unsupported;
  private long malformed;

  /**
   * One record returned by the reader, as decoded: a record that completed a datagram counts as {@code fragment}
   * (so the count does not depend on which decoder reassembled it).
   */
  public void decoded(DecodedPacket p) {
    decoded(p.reassembled() ? DecodeStatus.FRAGMENT : p.status());
  }

  /** One record returned by the reader, decoded with this outcome. */
  public void decoded(DecodeStatus status) {
    switch (status) {
      case OK, FRAGMENT, NOT_IP -> decoded++;
      case UNSUPPORTED_LINK_TYPE -> unsupported++;
      case TRUNCATED, MALFORMED -> malformed++;
    }
  }

  /** A finished reader's counters (one per split: call once per reader). */
  public void reader(CaptureStats stats) {
    readerOk += stats.recordsOk();
    readerBad += stats.recordsBad();
  }

  /** Adds another account (splits of one file, files of one run). */
  public void add(RecordAccount o) {
    readerOk += o.readerOk;
    readerBad += o.readerBad;
    decoded += o.decoded;
    unsupported += o.unsupported;
    malformed += o.malformed;
  }

  /** Records the readers looked at: returned plus counted bad. */
  public long read() { return readerOk + readerBad; }

  /** Records the readers returned (the {@code packets} column). */
  public long packets() { return readerOk; }

  public long recordsOk() { return decoded; }

  public long unsupported() { return unsupported; }

  /** Malformed: bad to the reader, or truncated/malformed to the decoder. */
  public long recordsBad() { return readerBad + malformed; }

  /** {@code read - (recordsOk + unsupported + recordsBad)}: 0 when every record is accounted for. */
  public long unaccounted() {
    return read() - (recordsOk() + unsupported() + recordsBad());
  }

  @Override
  public String toString() {
    return "read=" + read() + " ok=" + decoded + " unsupported=" + unsupported + " bad=" + recordsBad()
        + " (reader " + readerBad + ", decoder " + malformed + ")";
  }
}
