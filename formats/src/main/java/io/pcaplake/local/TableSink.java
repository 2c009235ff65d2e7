package io.pcaplake.local;

import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.http.HttpRecord;
import io.pcaplake.packet.RecordAccount;
import java.util.function.LongSupplier;

/**
 * Where the local engine's rows go: the same record types the Spark engine's rows are made from, so a Parquet writer,
 * a console printer or a test collector all see the same rows. Called on one thread, in the order rows are produced:
 * a connection's http rows and anomalies come before its {@link #flow} row.
 */
public interface TableSink {
  /** Takes nothing (a console that prints through its own consumers); the engine then skips its calls. */
  TableSink NONE = new TableSink() { };

  /**
   * The run starts; {@code recordsRead} tells the records read so far (callable from any thread, e.g. a progress
   * line's; the count may lag a little).
   */
  default void started(LongSupplier recordsRead) { }

  /**
   * A connection ended.
   *
   * @param httpExchanges its {@code http_exchanges} column (0 without the HTTP stage)
   */
  default void flow(ConnectionRecord connection, int httpExchanges) { }

  /** One HTTP exchange (only when the HTTP stage runs). */
  default void http(HttpRecord exchange) { }

  /**
   * One {@code anomalies} row: capture and packet problems (with {@code flow_id} null), reassembly and HTTP ones.
   * {@link AnomalyRecord#dt()} is null when the row has no time; the table then uses the run's date.
   */
  default void anomaly(AnomalyRecord anomaly) { }

  /** A capture file was read to its end: records returned and records found bad. */
  default void captureDone(String captureFile, long records, long badRecords) { }

  /**
   * A capture file was read to its end, with its record account ({@code docs/accounting.md}: {@code packets},
   * {@code records_ok}, {@code records_bad} of the {@code captures} table) and its first and last record times in
   * ns (null when it has no records). By default calls {@link #captureDone(String, long, long)} with the reader's
   * records returned and counted bad.
   */
  default void captureDone(String captureFile, RecordAccount account, Long firstTsNs, Long lastTsNs) {
    captureDone(captureFile, account.packets(), account.read() - account.packets());
  }
}
