package io.pcaplake.flow;

import io.pcaplake.tcp.FlowSummary;

/** Where a {@link FlowAssembler} sends its results. Called on the assembler's thread, in input order. */
public interface FlowOutput {
  /** A connection ended (port reuse started the next one on the key, the key ended, or {@code finish()}). */
  void connection(ConnectionRecord connection);

  /** A reassembly problem of a connection; raised before that connection's {@link #connection} call. */
  void anomaly(AnomalyRecord anomaly);

  /**
   * The reassembler's counters of a connection, just before its {@link #connection} call: for run-level accounting
   * ({@code docs/accounting.md}: payload seen = delivered + retransmitted + conflicting + dropped + uncaptured).
   */
  default void summary(ConnectionRecord connection, FlowSummary summary) { }
}
