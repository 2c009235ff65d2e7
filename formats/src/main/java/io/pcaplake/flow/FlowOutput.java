package io.pcaplake.flow;

/** Where a {@link FlowAssembler} sends its results. Called on the assembler's thread, in input order. */
public interface FlowOutput {
  /** A connection ended (port reuse started the next one on the key, the key ended, or {@code finish()}). */
  void connection(ConnectionRecord connection);

  /** A reassembly problem of a connection; raised before that connection's {@link #connection} call. */
  void anomaly(AnomalyRecord anomaly);
}
