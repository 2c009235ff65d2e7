package io.pcaplake.capture;

import java.io.Closeable;
import java.io.IOException;

/**
 * Iterates the packet records of one capture file, or of one split of it. The current record is a flyweight:
 * its accessors are valid until the next call to {@link #next()}, and {@link #data()} may be a shared buffer that
 * the next call overwrites. Copy what you keep.
 *
 * <p>A reader over a split returns exactly the records whose first byte lies in {@code [start, end)}; across all
 * splits of a file each record is returned exactly once.
 */
public interface CaptureReader extends Closeable {

  /** Advances to the next record. Returns false at the end of the file or split. Bad input is reported, not thrown. */
  boolean next() throws IOException;

  /** The buffer holding the current record's captured bytes. */
  byte[] data();

  /** Where the current record's captured bytes start in {@link #data()}. */
  int dataOffset();

  /** Captured length of the current record (bytes present in {@link #data()}). */
  int caplen();

  /** Original length on the wire of the current record. */
  int origlen();

  /** Timestamp of the current record, nanoseconds since the Unix epoch. */
  long timestampNanos();

  /** Link type (LINKTYPE_* value) of the current record, with FCS bits masked off. */
  int linkType();

  /** Number of FCS bytes at the end of each frame on this record's interface (0 when none or unknown). */
  int fcsLength();

  /** pcapng interface id of the current record (0 for classic pcap). */
  int interfaceId();

  /**
   * Byte offset of the current record's header within the decompressed file. Stable across split sizes and runs,
   * unique per record, increasing in file order: this is the {@code record_index} column.
   */
  long recordOffset();

  /** Counters so far: records returned, bad records, bytes skipped. */
  CaptureStats stats();

  /** What was detected about the file: format, byte order, compression, link types. */
  CaptureInfo info();
}
