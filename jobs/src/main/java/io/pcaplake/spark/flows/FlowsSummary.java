package io.pcaplake.spark.flows;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a flows run did: inputs read, connections by Zeek {@code conn_state}, HTTP exchanges by status class
 * ({@code 1xx}..{@code 5xx}, {@code none}: no response seen or HTTP/0.9), anomalies by reason, where the output went
 * and how long it took.
 */
public record FlowsSummary(long files, long bytes, long records, long tcpPackets, long connections,
                           Map<String, Long> connStates, long httpExchanges, Map<String, Long> statusClasses,
                           Map<String, Long> anomalies, String flowsPath, String httpPath, String anomaliesPath,
                           String reportPath, long elapsedMillis, Accounting accounting) {
  /**
   * The run's accounting ({@code docs/accounting.md}): records over all files, TCP payload over all connections.
   *
   * @param recordsRead records the readers looked at (returned plus counted bad)
   * @param payloadFed payload wire bytes of the TCP segments given to the reassembler
   */
  public record Accounting(long recordsRead, long recordsOk, long recordsUnsupported, long recordsBad,
                           long payloadFed, long payloadSeen, long payloadDelivered, long payloadRetransmitted,
                           long payloadConflicting, long payloadDropped, long payloadUncaptured) {
    /** {@code records read - (ok + unsupported + bad)}: 0 when every record is accounted for. */
    public long unaccountedRecords() {
      return recordsRead - (recordsOk + recordsUnsupported + recordsBad);
    }

    /** {@code seen - (delivered + retransmitted + conflicting + dropped + uncaptured)}: 0 on a correct run. */
    public long unaccountedPayloadBytes() {
      return payloadSeen - (payloadDelivered + payloadRetransmitted + payloadConflicting + payloadDropped
          + payloadUncaptured);
    }
  }

  public FlowsSummary {
    connStates = Map.copyOf(connStates);
    statusClasses = Map.copyOf(statusClasses);
    anomalies = Map.copyOf(anomalies);
  }

  public long anomalyCount() {
    return anomalies.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The CLI's summary: one figure per line, maps sorted by key. */
  public void print(PrintStream out) {
    out.printf("files:            %d (%d bytes)%n", files, bytes);
    out.printf("records:          %d%n", records);
    Accounting a = accounting;
    out.printf("  ok %d, unsupported %d, bad %d (of %d read)%n", a.recordsOk(), a.recordsUnsupported(),
        a.recordsBad(), a.recordsRead());
    out.printf("tcp packets:      %d%n", tcpPackets);
    out.printf("tcp payload:      %d bytes: delivered %d, retransmitted %d, conflicting %d, dropped %d, "
        + "uncaptured %d%n", a.payloadSeen(), a.payloadDelivered(), a.payloadRetransmitted(), a.payloadConflicting(),
        a.payloadDropped(), a.payloadUncaptured());
    out.printf("tcp connections:  %d%n", connections);
    new TreeMap<>(connStates).forEach((k, v) -> out.printf("  %-16s%d%n", k, v));
    out.printf("http exchanges:   %d%n", httpExchanges);
    new TreeMap<>(statusClasses).forEach((k, v) -> out.printf("  %-16s%d%n", k, v));
    out.printf("anomalies:        %d%n", anomalyCount());
    new TreeMap<>(anomalies).forEach((k, v) -> out.printf("  %-40s%d%n", k, v));
    out.printf("flows:            %s%n", flowsPath);
    out.printf("http:             %s%n", httpPath);
    out.printf("anomalies table:  %s%n", anomaliesPath);
    out.printf("report:           %s%n", reportPath);
    out.printf("elapsed:          %.1f s%n", elapsedMillis / 1000.0);
  }
}
