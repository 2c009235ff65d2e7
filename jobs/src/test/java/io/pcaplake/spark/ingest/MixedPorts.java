package io.pcaplake.spark.ingest;

import io.pcaplake.synth.CaptureFiles;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.Frames;
import io.pcaplake.synth.HttpTraffic;
import io.pcaplake.synth.Ipv4Header;
import io.pcaplake.synth.Link;
import io.pcaplake.synth.LinkTypes;
import io.pcaplake.synth.SynthPacket;
import io.pcaplake.synth.TcpConversation;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One capture ({@code mixed.pcap}, 2026-01-01, written with the project's synthesizer) of records a filter on
 * {@code port 8000} or {@code not port 9000} must tell apart, in time order ({@link #groups}: group name to the
 * {@code record_index} of its records, the byte offsets of their headers in the classic pcap file):
 * <ul>
 *   <li>{@code tcp8000}: an HTTP connection 10.0.0.1:40000 → 10.0.0.10:8000 (handshake, one exchange, FIN);</li>
 *   <li>{@code tcp9000}: the same on 10.0.0.2:40001 → 10.0.0.10:9000;</li>
 *   <li>{@code udp8000}: a UDP request 10.0.0.3:5353 → 10.0.0.10:8000 and its reply from port 8000;</li>
 *   <li>{@code udp53}: a UDP query 10.0.0.3:53000 → 10.0.0.53:53 and its reply;</li>
 *   <li>{@code arp}: an ARP request (decode status {@code not_ip});</li>
 *   <li>{@code cut8000}: a TCP record to 10.0.0.10:8000 cut 4 bytes into the TCP header ({@code truncated}, ports
 *       decoded);</li>
 *   <li>{@code cutIp}: a TCP record to port 9000 cut inside the IP header ({@code truncated}, no addresses).</li>
 * </ul>
 */
final class MixedPorts {
  static final String FILE = "mixed.pcap";
  static final long T0 = 1_767_225_600_000_000_000L;  // 2026-01-01T00:00:00Z
  private static final long SECOND = 1_000_000_000L;
  private static final int PCAP_FILE_HEADER = 24;
  private static final int PCAP_RECORD_HEADER = 16;

  /** Group name → the {@code record_index} of its records, in capture order. */
  final Map<String, List<Long>> groups = new LinkedHashMap<>();
  final List<SynthPacket> packets = new ArrayList<>();
  private final List<Map.Entry<String, SynthPacket>> grouped = new ArrayList<>();

  private MixedPorts() { }

  static MixedPorts write(Path dir) throws IOException {
    MixedPorts m = new MixedPorts();
    m.add("tcp8000", conversation("10.0.0.1", 40000, 8000, T0));
    m.add("tcp9000", conversation("10.0.0.2", 40001, 9000, T0 + SECOND));
    Link link = Link.ethernet(Link.DEFAULT_CLIENT_MAC, Link.DEFAULT_SERVER_MAC);
    Ipv4Header client = Ipv4Header.of(v4("10.0.0.3"), v4("10.0.0.10"));
    m.add("udp8000", List.of(
        SynthPacket.of(T0 + 2 * SECOND, LinkTypes.ETHERNET,
            Frames.udpFrame(link, client, 5353, 8000, HttpTraffic.utf8("ping"))),
        SynthPacket.of(T0 + 2 * SECOND + 1_000_000, LinkTypes.ETHERNET,
            Frames.udpFrame(link.reversed(), client.reversed(), 8000, 5353, HttpTraffic.utf8("pong")))));
    Ipv4Header resolver = Ipv4Header.of(v4("10.0.0.3"), v4("10.0.0.53"));
    m.add("udp53", List.of(
        SynthPacket.of(T0 + 3 * SECOND, LinkTypes.ETHERNET,
            Frames.udpFrame(link, resolver, 53000, 53, HttpTraffic.utf8("query"))),
        SynthPacket.of(T0 + 3 * SECOND + 1_000_000, LinkTypes.ETHERNET,
            Frames.udpFrame(link.reversed(), resolver.reversed(), 53, 53000, HttpTraffic.utf8("answer")))));
    byte[] arp = new byte[28];
    arp[1] = 1;        // hardware type Ethernet
    arp[2] = 0x08;     // protocol type IPv4
    arp[4] = 6;
    arp[5] = 4;
    arp[7] = 1;        // request
    m.add("arp", List.of(SynthPacket.of(T0 + 4 * SECOND, LinkTypes.ETHERNET,
        Frames.ethernet(0xffffffffffffL, Link.DEFAULT_CLIENT_MAC, new int[0], 0x0806, arp))));
    List<SynthPacket> syn8000 = conversation("10.0.0.4", 40004, 8000, T0 + 5 * SECOND).subList(0, 1);
    m.add("cut8000", List.of(syn8000.get(0).truncated(14 + 20 + 4)));
    List<SynthPacket> syn9000 = conversation("10.0.0.5", 40005, 9000, T0 + 6 * SECOND).subList(0, 1);
    m.add("cutIp", List.of(syn9000.get(0).truncated(14 + 10)));
    m.grouped.sort(Comparator.comparingLong(e -> e.getValue().tsNanos()));  // stable: a group keeps its order
    long offset = PCAP_FILE_HEADER;
    for (Map.Entry<String, SynthPacket> e : m.grouped) {
      m.groups.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(offset);
      m.packets.add(e.getValue());
      offset += PCAP_RECORD_HEADER + e.getValue().frame().length;
    }
    CaptureFiles.write(dir.resolve(FILE), Format.PCAP, m.packets);
    return m;
  }

  /** The record indexes of the records of these groups. */
  Set<Long> indexes(String... names) {
    Set<Long> s = new TreeSet<>();
    for (String n : names) {
      s.addAll(groups.get(n));
    }
    return s;
  }

  /** The record indexes of every record but those of these groups. */
  Set<Long> indexesExcept(String... names) {
    Set<Long> s = new TreeSet<>();
    groups.values().forEach(s::addAll);
    s.removeAll(indexes(names));
    return s;
  }

  private void add(String group, List<SynthPacket> records) {
    records.forEach(r -> grouped.add(Map.entry(group, r)));
  }

  private static List<SynthPacket> conversation(String client, int port, int serverPort, long start)
      throws IOException {
    return TcpConversation.between(InetAddress.getByName(client), port, InetAddress.getByName("10.0.0.10"),
            serverPort).start(start).open().handshake()
        .clientSends(HttpTraffic.utf8("GET / HTTP/1.1\r\nHost: api\r\n\r\n"))
        .serverSends(HttpTraffic.utf8("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"))
        .fin().packets();
  }

  private static Inet4Address v4(String a) throws IOException {
    return (Inet4Address) InetAddress.getByName(a);
  }
}
