package io.pcaplake.tcp;

/** Reason codes of the {@code tcp} layer, documented in {@code docs/anomalies.md}. */
public final class TcpReasons {
  /** A segment overlaps bytes already seen (delivered or held) with different content; the first copy is kept. */
  public static final String OVERLAP_CONFLICT = "tcp.overlap_conflict";
  /** A hole was given up because the reorder buffer reached its byte or segment limit. */
  public static final String REORDER_WINDOW_EXCEEDED = "tcp.reorder_window_exceeded";
  /** Payload beyond the sender's FIN; dropped. */
  public static final String DATA_AFTER_FIN = "tcp.data_after_fin";
  /** Payload after a RST was seen in the connection; still reassembled. */
  public static final String DATA_AFTER_RST = "tcp.data_after_rst";
  /** The capture holds fewer payload bytes than the segment carried (snaplen); the rest counts as missing. */
  public static final String TRUNCATED_PAYLOAD = "tcp.truncated_payload";
  /** A SYN inside a running connection that neither repeats its ISN nor starts a new connection; ignored. */
  public static final String SYN_INSIDE_CONNECTION = "tcp.syn_inside_connection";
  /** Mid-stream pickup: payload before the first sequence number seen from that side; dropped. */
  public static final String DATA_BEFORE_START = "tcp.data_before_start";
  /** Payload far beyond the next expected byte (more than {@code TcpLimits.maxSeqJump}); dropped. */
  public static final String SEQ_JUMP = "tcp.seq_jump";
  /** SYN with FIN or RST, or FIN with RST. */
  public static final String INCONSISTENT_FLAGS = "tcp.inconsistent_flags";

  private TcpReasons() { }
}
