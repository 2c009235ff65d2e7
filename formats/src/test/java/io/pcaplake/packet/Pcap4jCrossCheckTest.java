package io.pcaplake.packet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.capture.CaptureReader;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.FileByteSource;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.IcmpV4CommonPacket;
import org.pcap4j.packet.IcmpV6CommonPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.UdpPacket;
import org.pcap4j.packet.factory.PacketFactories;
import org.pcap4j.packet.namednumber.DataLinkType;
import org.pcap4j.packet.namednumber.EtherType;

/**
 * Decodes every record of every shared capture with our decoder and with pcap4j (from the same bytes and link type)
 * and asserts they agree on IP version and addresses, protocol, ports, TCP seq/ack/flags and payload length wherever
 * pcap4j decodes the packet.
 *
 * <p>Exclusions, each counted per capture and printed:
 * <ul>
 *   <li><b>pcap4j finds no IP</b>: link types pcap4j 1.8.2 does not know (LINUX_SLL2 276, ETHERNET_MPACKET 274),
 *       EtherTypes it does not follow (802.1ad 0x88a8 and 0x9100 outer tags give an UnknownPacket), and headers cut
 *       by the snaplen, where pcap4j returns IllegalRawDataPacket; also raw IP as LINKTYPE_RAW 101 (pcap4j only
 *       knows the DLT value 12) and BSD loopback with the BSD/macOS AF_INET6 values 24/28/30. For those records pcap4j
 *       is given the bytes from our IP offset ({@code via-our-ip-offset}), which checks IP and transport decoding but
 *       not the link layer; the link layer of these types is covered by the unit tests.</li>
 *   <li><b>ICMP errors and tunnels</b>: pcap4j also decodes the datagram quoted inside an ICMP error (and the inner
 *       packet of IP-in-IP); we decode the outer packet only, so for those only the outer IP fields are
 *       compared.</li>
 *   <li><b>Fragments</b>: pcap4j does not reassemble. For a fragment (ours FRAGMENT or reassembled) only the IP
 *       fields are compared; pcap4j's view of the transport header of a first fragment describes a partial datagram,
 *       and a reassembled record's transport fields describe the whole datagram while pcap4j sees the last piece.</li>
 *   <li><b>TCP flags</b>: pcap4j 1.8.2 predates ECN (RFC 3168) and keeps NS/CWR/ECE in its 6-bit {@code reserved}
 *       field; we compare our NS/CWR/ECE with its reserved bits 2/1/0, so this is a translation, not an exclusion.</li>
 * </ul>
 * Records come from the real reader ({@link Captures#open}), so every record it returns is cross-checked, and per
 * capture that is the manifest's packet count: none for {@code malformed-pcap-invalid-version} (version 1.4, rejected
 * like libpcap does) and {@code empty-pcap-header-only}; two for {@code malformed-pcap-bogus-caplen} (the second
 * record trimmed where the next header starts).
 */
class Pcap4jCrossCheckTest {

  private static Path sharedPcaps() {
    String shared = System.getProperty("pcaplake.shared");
    return shared == null ? null : Path.of(shared, "pcaps");
  }

  static final class Counts {
    int records;
    int ipCompared;
    int tcpCompared;
    int udpCompared;
    int fragmentsIpOnly;
    int pcap4jNoIp;
    int oursOnlyIp;
    int viaOurIpOffset;
    int transportInsideIcmpOrTunnel;

    @Override
    public String toString() {
      return String.format("records=%d ip=%d tcp=%d udp=%d fragments(ip-only)=%d via-our-ip-offset=%d"
              + " icmp-quoted/tunnelled(ip-only)=%d pcap4j-no-ip=%d (ours-ip=%d)",
          records, ipCompared, tcpCompared, udpCompared, fragmentsIpOnly, viaOurIpOffset,
          transportInsideIcmpOrTunnel, pcap4jNoIp, oursOnlyIp);
    }
  }

  @Test
  void agreesWithPcap4jOnEverySharedCapture() throws IOException {
    Path dir = sharedPcaps();
    Assumptions.assumeTrue(dir != null && Files.isDirectory(dir),
        "shared captures not found (system property pcaplake.shared=" + System.getProperty("pcaplake.shared") + ")");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.getFileName().toString().matches(".*\\.(pcap|pcapng|cap)(\\.gz)?$")).sorted().toList();
    }
    Map<String, Integer> manifest = manifestPackets(dir);
    Map<String, Counts> perCapture = new TreeMap<>();
    List<String> mismatches = new ArrayList<>();
    Counts total = new Counts();
    for (Path file : files) {
      Counts c = new Counts();
      perCapture.put(file.getFileName().toString(), c);
      PacketDecoder decoder = new PacketDecoder();
      try (CaptureReader r = Captures.open(new FileByteSource(file), ProblemSinks.NONE)) {
        while (r.next()) {
          c.records++;
          DecodedPacket ours = decoder.decode(r.data(), r.dataOffset(), r.caplen(), r.origlen(), r.linkType(),
              r.timestampNanos(), r.recordOffset(), ProblemSinks.NONE);
          Packet theirs = pcap4j(r);
          if (!hasIp(theirs) && ours.ipVersion() != 0 && ours.buffer() == r.data()) {
            // pcap4j does not get to IP here (see class comment): hand it the bytes from our IP offset, so that at
            // least the IP and transport decoding are cross-checked.
            c.viaOurIpOffset++;
            theirs = pcap4jFromIp(r, ours);
          }
          compare(file.getFileName() + "@" + r.recordOffset(), ours, theirs, c, mismatches);
        }
      }
      decoder.flush(ProblemSinks.NONE);
      String name = file.getFileName().toString().replaceFirst("\\.(pcap|pcapng|cap)(\\.gz)?$", "");
      int expected = manifest.getOrDefault(name, -1);
      if (c.records != expected) {
        mismatches.add(name + ": cross-checked " + c.records + " records, manifest has " + expected);
      }
      total.records += c.records;
      total.ipCompared += c.ipCompared;
      total.tcpCompared += c.tcpCompared;
      total.udpCompared += c.udpCompared;
      total.fragmentsIpOnly += c.fragmentsIpOnly;
      total.pcap4jNoIp += c.pcap4jNoIp;
      total.oursOnlyIp += c.oursOnlyIp;
      total.viaOurIpOffset += c.viaOurIpOffset;
      total.transportInsideIcmpOrTunnel += c.transportInsideIcmpOrTunnel;
    }
    perCapture.forEach((name, c) -> System.out.println("pcap4j cross-check " + name + ": " + c));
    System.out.println("pcap4j cross-check TOTAL over " + files.size() + " captures: " + total);
    assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches, first: "
        + String.join("\n", mismatches.subList(0, Math.min(25, mismatches.size()))));
    assertTrue(total.tcpCompared > 1000, "too few TCP packets compared: " + total);
    assertTrue(files.size() >= 53, "captures " + files.size());
  }

  /** The {@code packets} column of the shared corpus's MANIFEST.tsv, by capture name. */
  private static Map<String, Integer> manifestPackets(Path dir) throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve("MANIFEST.tsv"));
    List<String> head = List.of(lines.get(0).split("\t"));
    Map<String, Integer> packets = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t", -1);
      packets.put(f[head.indexOf("name")], Integer.parseInt(f[head.indexOf("packets")]));
    }
    return packets;
  }

  private static Packet pcap4j(CaptureReader r) {
    try {
      return PacketFactories.getFactory(Packet.class, DataLinkType.class)
          .newInstance(r.data(), r.dataOffset(), r.caplen(), DataLinkType.getInstance(r.linkType()));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static boolean hasIp(Packet p) {
    return p != null && (p.contains(IpV4Packet.class) || p.contains(IpV6Packet.class));
  }

  private static Packet pcap4jFromIp(CaptureReader r, DecodedPacket ours) {
    try {
      return PacketFactories.getFactory(Packet.class, EtherType.class).newInstance(r.data(), ours.ipOffset(),
          r.dataOffset() + r.caplen() - ours.ipOffset(), ours.ipVersion() == 4 ? EtherType.IPV4 : EtherType.IPV6);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * The TCP/UDP packet that is the outer IP packet's own transport, or null. pcap4j also decodes the datagram quoted
   * inside ICMP errors and the inner packet of IP-in-IP tunnels; those are not the outer packet's transport.
   */
  private static Packet ownTransport(Packet ip) {
    for (Packet p = ip.getPayload(); p != null; p = p.getPayload()) {
      if (p instanceof TcpPacket || p instanceof UdpPacket) {
        return p;
      }
      if (p instanceof IpV4Packet || p instanceof IpV6Packet || p instanceof IcmpV4CommonPacket
          || p instanceof IcmpV6CommonPacket) {
        return null;
      }
    }
    return null;
  }

  private static void compare(String where, DecodedPacket ours, Packet theirs, Counts c, List<String> mismatches) {
    IpV4Packet v4 = theirs == null ? null : theirs.get(IpV4Packet.class);
    IpV6Packet v6 = theirs == null ? null : theirs.get(IpV6Packet.class);
    if (v4 == null && v6 == null) {
      c.pcap4jNoIp++;
      if (ours.ipVersion() != 0) {
        c.oursOnlyIp++;
      }
      return;
    }
    c.ipCompared++;
    String src = v4 != null ? v4.getHeader().getSrcAddr().getHostAddress() : v6.getHeader().getSrcAddr().getHostAddress();
    String dst = v4 != null ? v4.getHeader().getDstAddr().getHostAddress() : v6.getHeader().getDstAddr().getHostAddress();
    int version = v4 != null ? 4 : 6;
    check(mismatches, where, "ip version", version, ours.ipVersion());
    check(mismatches, where, "src", normalize(src), normalize(ours.srcIp()));
    check(mismatches, where, "dst", normalize(dst), normalize(ours.dstIp()));
    if (v4 != null) {
      check(mismatches, where, "protocol", v4.getHeader().getProtocol().value() & 0xff, ours.protocol());
    }
    if (ours.fragment()) {
      c.fragmentsIpOnly++;
      return;
    }
    Packet transport = ownTransport(v4 != null ? v4 : v6);
    if (transport == null && (theirs.contains(TcpPacket.class) || theirs.contains(UdpPacket.class))) {
      c.transportInsideIcmpOrTunnel++;
    }
    TcpPacket tcp = transport instanceof TcpPacket t ? t : null;
    UdpPacket udp = transport instanceof UdpPacket u ? u : null;
    if (tcp != null) {
      c.tcpCompared++;
      TcpPacket.TcpHeader h = tcp.getHeader();
      check(mismatches, where, "status", DecodeStatus.OK, ours.status());
      check(mismatches, where, "protocol", 6, ours.protocol());
      check(mismatches, where, "src port", h.getSrcPort().valueAsInt(), ours.srcPort());
      check(mismatches, where, "dst port", h.getDstPort().valueAsInt(), ours.dstPort());
      check(mismatches, where, "seq", h.getSequenceNumberAsLong(), ours.tcpSeq());
      check(mismatches, where, "ack", h.getAcknowledgmentNumberAsLong(), ours.tcpAck());
      int flags = (h.getUrg() ? 0x20 : 0) | (h.getAck() ? 0x10 : 0) | (h.getPsh() ? 0x08 : 0)
          | (h.getRst() ? 0x04 : 0) | (h.getSyn() ? 0x02 : 0) | (h.getFin() ? 0x01 : 0)
          | ((h.getReserved() & 0x7) << 6); // reserved bit 2 = NS (0x100), 1 = CWR (0x80), 0 = ECE (0x40)
      check(mismatches, where, "flags", flags, ours.tcpFlags());
      check(mismatches, where, "window", h.getWindowAsInt(), ours.tcpWindow());
      check(mismatches, where, "payload", tcp.getPayload() == null ? 0 : tcp.getPayload().length(),
          ours.payloadLength());
    } else if (udp != null) {
      c.udpCompared++;
      check(mismatches, where, "status", DecodeStatus.OK, ours.status());
      check(mismatches, where, "protocol", 17, ours.protocol());
      check(mismatches, where, "src port", udp.getHeader().getSrcPort().valueAsInt(), ours.srcPort());
      check(mismatches, where, "dst port", udp.getHeader().getDstPort().valueAsInt(), ours.dstPort());
      check(mismatches, where, "payload", udp.getPayload() == null ? 0 : udp.getPayload().length(),
          ours.payloadLength());
    }
  }

  private static String normalize(String address) {
    try {
      return address == null ? null : InetAddress.getByName(address).getHostAddress();
    } catch (IOException e) {
      return address;
    }
  }

  private static void check(List<String> mismatches, String where, String what, Object expected, Object actual) {
    if (!expected.equals(actual)) {
      mismatches.add(where + " " + what + ": pcap4j " + expected + ", ours " + actual);
    }
  }
}
