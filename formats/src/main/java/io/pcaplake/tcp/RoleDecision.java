package io.pcaplake.tcp;

/** How the reassembler decided which endpoint is the client (Zeek's originator). */
public enum RoleDecision {
  /** The client sent a SYN without ACK. */
  SYN,
  /** No SYN was seen, but a SYN+ACK: its sender is the server. */
  SYN_ACK,
  /** Mid-stream: the first payload looked like a request line (its sender is the client) or a status line. */
  PAYLOAD,
  /** Mid-stream: a well-known/registered port against an ephemeral one; the former is the server. */
  PORTS,
  /** Nothing else decided: the sender of the connection's first packet is the client. */
  FIRST_PACKET
}
