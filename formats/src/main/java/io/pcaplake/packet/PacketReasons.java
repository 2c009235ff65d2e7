package io.pcaplake.packet;

/**
 * Stable reason codes the packet decoder reports to a {@link io.pcaplake.capture.ProblemSink}. Each is documented in
 * {@code docs/anomalies.md}, section "packet". Codes are part of the product: never rename one.
 */
public final class PacketReasons {
  private PacketReasons() { }

  /** Captured bytes end inside a link, IP or transport header although the record was not cut (caplen == origlen). */
  public static final String TRUNCATED_HEADER = "packet.truncated_header";
  /** The snaplen cut (caplen &lt; origlen) ends inside a header, so the header is incomplete. */
  public static final String HEADER_CUT_BY_SNAPLEN = "packet.header_cut_by_snaplen";
  /** A link type that neither our decoder nor pcap4j decodes; reported once per link type per decoder. */
  public static final String UNSUPPORTED_LINK_TYPE = "packet.unsupported_link_type";
  /** The link layer announced IPv4/IPv6 (or raw IP) but the version nibble says otherwise. */
  public static final String IP_BAD_VERSION = "packet.ip_bad_version";
  /** IPv4 IHL below 5 (20 bytes). */
  public static final String IP_BAD_HEADER_LENGTH = "packet.ip_bad_header_length";
  /** IPv4 total length below the header length. */
  public static final String IP_BAD_TOTAL_LENGTH = "packet.ip_bad_total_length";
  /** IPv4 total length or IPv6 payload length 0: segmentation offload (TSO/GSO); length taken from the frame. */
  public static final String IP_TOTAL_LENGTH_ZERO = "packet.ip_total_length_zero";
  /** The IP length fields claim more bytes than the frame carried on the wire; the frame's length is used. */
  public static final String IP_LENGTH_EXCEEDS_FRAME = "packet.ip_length_exceeds_frame";
  /** An IPv6 extension header runs past the end of the IPv6 payload, or the chain is longer than we follow. */
  public static final String IPV6_BAD_EXTENSION_HEADER = "packet.ipv6_bad_extension_header";
  /** TCP data offset below 5 (20 bytes). */
  public static final String TCP_BAD_DATA_OFFSET = "packet.tcp_bad_data_offset";
  /** TCP header (data offset, or the fixed 20 bytes) extends past the end of the IP payload. */
  public static final String TCP_HEADER_PAST_END = "packet.tcp_header_past_end";
  /** A TCP option with a length that is too small or runs past the header; option parsing stops there. */
  public static final String TCP_BAD_OPTION = "packet.tcp_bad_option";
  /** UDP header extends past the end of the IP payload. */
  public static final String UDP_HEADER_PAST_END = "packet.udp_header_past_end";
  /** UDP length field below 8 or beyond the IP payload; the IP payload length is used. */
  public static final String UDP_BAD_LENGTH = "packet.udp_bad_length";
  /** Two fragments of one datagram overlap with different bytes; the first-received bytes are kept. */
  public static final String FRAGMENT_OVERLAP = "packet.fragment_overlap";
  /** A datagram whose fragments never all arrived: timed out (capture time), evicted by a memory bound, or open at end. */
  public static final String FRAGMENT_INCOMPLETE = "packet.fragment_incomplete";
  /** A fragment that would make the datagram longer than the per-datagram maximum (65535); dropped. */
  public static final String FRAGMENT_TOO_LARGE = "packet.fragment_too_large";
  /** Fragments disagree on the datagram's end (two last fragments, or data beyond the last fragment); dropped. */
  public static final String FRAGMENT_INCONSISTENT_LENGTH = "packet.fragment_inconsistent_length";
}
