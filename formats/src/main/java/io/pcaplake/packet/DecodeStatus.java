package io.pcaplake.packet;

/** Outcome of decoding one record; the {@code decode_status} column holds {@link #code()}. */
public enum DecodeStatus {
  /** Decoded down to the transport header (TCP/UDP) or to IP for other protocols. */
  OK("ok"),
  /** An IP fragment that did not (yet) complete a datagram; IP fields are set, transport fields are not. */
  FRAGMENT("fragment"),
  /** Captured bytes end inside a header (snaplen cut or truncated record). Fields decoded so far are set. */
  TRUNCATED("truncated"),
  /** A header is inconsistent (IHL &lt; 5, TCP data offset &lt; 5, bad version, ...). */
  MALFORMED("malformed"),
  /** Link type we neither decode nor pcap4j knows. */
  UNSUPPORTED_LINK_TYPE("unsupported_link_type"),
  /** Link layer decoded but the payload is not IP (ARP, LLDP, ...). */
  NOT_IP("not_ip");

  private final String code;

  DecodeStatus(String code) { this.code = code; }

  public String code() { return code; }
}
