package io.pcaplake.flow;

/** Reason codes raised by the flow layer itself (not the reassembler), documented in {@code docs/anomalies.md}. */
public final class FlowReasons {
  /**
   * The local engine's flow table was full ({@link FlowTable.Limits#maxFlows}): the least recently active key was
   * ended early, so a later packet of it starts a new connection (the Spark engine keeps it whole).
   */
  public static final String FLOW_TABLE_FULL = "tcp.flow_table_full";

  private FlowReasons() { }
}
