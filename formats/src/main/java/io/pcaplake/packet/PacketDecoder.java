package io.pcaplake.packet;

import io.pcaplake.capture.ProblemSink;
import java.util.HashSet;
import java.util.Set;

/**
 * The public door of the packet package: decodes records link layer -> IP (with defragmentation) -> TCP/UDP by
 * offsets over the record's bytes. One decoder per capture file: it holds the IP reassembly table, so it is stateful
 * and not thread-safe. Limits are in {@link DecoderLimits}. Call {@link #flush} at the end of the file so that
 * datagrams still waiting for fragments are reported. Fragment timeouts run on the time of fragment records only
 * (other records do not move the defragmenter's clock), so the outcome depends only on the file's fragment records in
 * file order: a reader that sees only part of a file can {@link #deferFragments() defer} its fragments to one decoder
 * that sees all of them (the Spark engine, {@code docs/anomalies.md}).
 *
 * <p>Nothing is allocated or copied per record on the usual path (Ethernet/VLAN/SLL/NULL/raw IP, TCP/UDP); only
 * fragments (reassembly buffers) and link types handed to pcap4j allocate.
 */
public final class PacketDecoder {
  private final DecodedPacket packet = new DecodedPacket();
  private final LinkLayer link = new LinkLayer();
  private final Pcap4jFallback fallback = new Pcap4jFallback();
  private final IpDefragmenter defragmenter;
  /** Link types already reported as unsupported: once per decoder, not once per record. */
  private final Set<Integer> reportedLinkTypes = new HashSet<>();
  private boolean deferFragments;

  public PacketDecoder() {
    this(DecoderLimits.DEFAULTS);
  }

  public PacketDecoder(DecoderLimits limits) {
    this.defragmenter = new IpDefragmenter(limits);
  }

  /**
   * From now on, an IP fragment is not reassembled here: it is returned with status {@code fragment} as soon as its
   * IP header is decoded, before any defragmentation problem could be reported, and the defragmenter is never
   * touched. For readers of part of a file that hand fragment records to a decoder that reads all of them.
   */
  public PacketDecoder deferFragments() {
    deferFragments = true;
    return this;
  }

  /**
   * Decodes one record without FCS; see {@link #decode(byte[], int, int, int, int, int, long, long, ProblemSink)}.
   */
  public DecodedPacket decode(byte[] data, int offset, int caplen, int origlen, int linkType, long tsNanos,
                              long recordOffset, ProblemSink problems) {
    return decode(data, offset, caplen, origlen, linkType, 0, tsNanos, recordOffset, problems);
  }

  /**
   * Decodes one record. Never throws on bad bytes: the returned packet's status says what happened, and problems
   * go to {@code problems} with reason codes {@code packet.*} ({@link PacketReasons}).
   *
   * @param data buffer holding the record
   * @param offset start of the record's captured bytes
   * @param caplen captured bytes
   * @param origlen original length on the wire
   * @param linkType LINKTYPE_* value
   * @param fcsLength bytes of frame check sequence at the end of each frame (the reader's {@code fcsLength()}); they
   *     are never counted as payload
   * @param tsNanos capture timestamp, for fragment timeouts (capture time, not wall time)
   * @param recordOffset the record's offset, for problem reports
   * @return the decoder's reused packet: valid until the next call
   */
  public DecodedPacket decode(byte[] data, int offset, int caplen, int origlen, int linkType, int fcsLength,
                              long tsNanos, long recordOffset, ProblemSink problems) {
    DecodedPacket p = packet;
    p.reset(data, linkType);
    int captured = Math.max(0, Math.min(caplen, data.length - offset));
    int wireLength = Math.max(0, Math.max(origlen, captured) - Math.max(0, fcsLength));
    int end = offset + Math.min(captured, wireLength);
    int wireEnd = offset + wireLength;
    byte[] buf = data;
    int kind = link.decode(data, offset, end, linkType, p);
    int ip = link.networkOffset;
    if (kind == LinkLayer.KIND_OTHER_LINK) {
      kind = fallback.decode(data, offset, end - offset, linkType);
      if (kind == LinkLayer.KIND_IPV4 || kind == LinkLayer.KIND_IPV6) {
        // Offsets now refer to pcap4j's copy of the IP packet.
        buf = fallback.ipBytes();
        p.buffer = buf;
        ip = 0;
        // pcap4j's copy holds the captured IP bytes; bytes cut by the snaplen are still missing from the wire length.
        wireEnd = buf.length + (wireEnd - end);
        end = buf.length;
      }
    }
    DecodeStatus status;
    switch (kind) {
      case LinkLayer.KIND_IPV4:
        status = Ipv4.decode(buf, ip, end, wireEnd - ip, p, problems, recordOffset);
        break;
      case LinkLayer.KIND_IPV6:
        status = Ipv6.decode(buf, ip, end, wireEnd - ip, p, problems, recordOffset);
        break;
      case LinkLayer.KIND_TRUNCATED:
        status = DecodeStatus.TRUNCATED;
        break;
      case LinkLayer.KIND_BAD_VERSION:
        problems.report(PacketReasons.IP_BAD_VERSION, recordOffset,
            "raw IP link type " + linkType + ", version nibble " + ((data[ip] & 0xff) >>> 4));
        status = DecodeStatus.MALFORMED;
        break;
      case Pcap4jFallback.KIND_UNSUPPORTED:
        if (reportedLinkTypes.add(linkType)) {
          problems.report(PacketReasons.UNSUPPORTED_LINK_TYPE, recordOffset,
              "link type " + linkType + " is not decoded (reported once per link type)");
        }
        status = DecodeStatus.UNSUPPORTED_LINK_TYPE;
        break;
      default:
        status = DecodeStatus.NOT_IP;
        break;
    }
    if (status == DecodeStatus.OK && p.fragment) {
      if (deferFragments) {
        p.status = DecodeStatus.FRAGMENT;
        return p;
      }
      // Timeouts run on fragment arrivals only: the same outcome whether or not the file's other records are seen.
      defragmenter.expire(tsNanos, problems);
      status = defragment(p, tsNanos, recordOffset, problems);
    }
    if (status == DecodeStatus.OK) {
      status = transport(p.buffer, p, problems, recordOffset);
    }
    if (status == DecodeStatus.TRUNCATED) {
      boolean cut = captured < origlen;
      problems.report(cut ? PacketReasons.HEADER_CUT_BY_SNAPLEN : PacketReasons.TRUNCATED_HEADER, recordOffset,
          "captured " + captured + " of " + origlen + " bytes end inside a header"
              + (p.ipVersion != 0 ? " (IPv" + p.ipVersion + ", protocol " + p.protocol + ")" : ""));
    }
    p.status = status;
    return p;
  }

  /** Reports every datagram still waiting for fragments ({@code packet.fragment_incomplete}) and forgets them. */
  public void flush(ProblemSink problems) {
    defragmenter.flush(problems);
  }

  /** For tests of the memory bounds. */
  IpDefragmenter defragmenter() {
    return defragmenter;
  }

  private DecodeStatus defragment(DecodedPacket p, long tsNanos, long recordOffset, ProblemSink problems) {
    if (!defragmenter.offer(p, tsNanos, recordOffset, problems)) {
      return DecodeStatus.FRAGMENT;
    }
    byte[] datagram = defragmenter.output();
    int length = defragmenter.outputLength();
    int version = p.ipVersion;
    p.resetNetwork(datagram);
    DecodeStatus status = version == 4
        ? Ipv4.decode(datagram, 0, length, length, p, problems, recordOffset)
        : Ipv6.decode(datagram, 0, length, length, p, problems, recordOffset);
    p.fragment = true;
    p.reassembled = true;
    return status;
  }

  private static DecodeStatus transport(byte[] b, DecodedPacket p, ProblemSink problems, long recordOffset) {
    switch (p.protocol) {
      case Tcp.PROTOCOL:
        return Tcp.decode(b, p, problems, recordOffset);
      case Udp.PROTOCOL:
        return Udp.decode(b, p, problems, recordOffset);
      default:
        // ICMP, ESP, GRE, ...: the payload is the IP payload.
        p.payloadOffset = p.transportOffset;
        p.payloadLength = Math.max(0, p.l4End - p.transportOffset);
        p.payloadWireLength = p.l4WireLength;
        return DecodeStatus.OK;
    }
  }
}
