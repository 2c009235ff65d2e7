package io.pcaplake.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.capture.ProblemSink;
import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.packet.PacketDecoder;
import io.pcaplake.synth.Frames;
import io.pcaplake.synth.Ipv4Header;
import io.pcaplake.synth.Link;
import io.pcaplake.synth.LinkTypes;
import io.pcaplake.synth.SynthPacket;
import io.pcaplake.synth.TcpConversation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Evaluation over decoded synthetic packets: packet semantics, connection semantics, VLAN, non-IP, serialization. */
class CaptureFilterMatchTest {
  static final String CLIENT = "10.0.3.7";
  static final String SERVER = "10.0.0.10";
  static final int CLIENT_PORT = 40001;
  static final int SERVER_PORT = 8000;

  static InetAddress addr(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  static CaptureFilter filter(String expression) {
    try {
      return CaptureFilter.parse(expression);
    } catch (FilterSyntaxException e) {
      throw new AssertionError(e.pointer(), e);
    }
  }

  /** Decodes with a decoder of its own, so the flyweight stays valid. */
  static DecodedPacket decode(SynthPacket p) {
    return new PacketDecoder().decode(p.frame(), 0, p.frame().length, p.origlen(), p.linkType(), p.tsNanos(), 0,
        ProblemSink.IGNORE);
  }

  static DecodedPacket decode(byte[] ethernetFrame) {
    return decode(SynthPacket.of(0, LinkTypes.ETHERNET, ethernetFrame));
  }

  /** An HTTP exchange answered with 401: client packets first in each pair as scripted by TcpConversation. */
  static List<SynthPacket> exchange(String client, String server, int... vlanTags) {
    TcpConversation c = TcpConversation.between(addr(client), CLIENT_PORT, addr(server), SERVER_PORT)
        .ethernet(Link.DEFAULT_CLIENT_MAC, Link.DEFAULT_SERVER_MAC, vlanTags).open();
    c.handshake()
        .clientSends("GET /admin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
        .serverSends("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
        .fin();
    return c.packets();
  }

  static boolean fromClient(DecodedPacket p) {
    return p.srcPort() == CLIENT_PORT;
  }

  @Test
  void dstPortKeepsOnlyRequestsAsPacketsButTheWholeConnectionAsConnection() {
    CaptureFilter f = filter("dst port 8000");
    List<SynthPacket> packets = exchange(CLIENT, SERVER);
    int requests = 0;
    int responses = 0;
    for (SynthPacket sp : packets) {
      DecodedPacket p = decode(sp);
      assertTrue(p.isTcp());
      if (fromClient(p)) {
        requests++;
        assertTrue(f.matches(p), "client -> :8000 matches as a packet");
      } else {
        responses++;
        assertEquals(SERVER_PORT, p.srcPort());
        assertFalse(f.matches(p), "the 401 from :8000 does not match as a packet");
      }
      assertTrue(f.matchesEitherDirection(p), "every packet of the connection is kept");
    }
    assertTrue(requests > 0 && responses > 0);
    byte[] c = addr(CLIENT).getAddress();
    byte[] s = addr(SERVER).getAddress();
    assertTrue(f.matchesConnection(c, CLIENT_PORT, s, SERVER_PORT, 6, -1));
    assertTrue(f.matchesConnection(s, SERVER_PORT, c, CLIENT_PORT, 6, -1), "key order does not matter");
    assertFalse(filter("dst port 9000").matchesConnection(c, CLIENT_PORT, s, SERVER_PORT, 6, -1));
  }

  /** For any expression, every packet of a connection gets the verdict of the connection key. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = "=>", value = {
      "dst port 8000 => true",
      "src port 8000 => true",
      "src and dst port 8000 => false",
      "src host 10.0.0.10 => true",
      "dst host 10.0.3.7 and src port 8000 => true",
      "dst host 10.0.3.7 and dst port 8000 => false",
      "src host 10.0.0.10 and dst port 8000 => false",
      "dst host 10.0.0.10 and dst port 8000 => true",
      "not host 10.0.0.10 => false",
      "not (host 10.0.0.10) or port 1 => false",
      "not host 10.0.0.10 and not host 10.0.3.7 => false",
      "src net 10.0.0.0/24 and dst net 10.0.3.0/24 => true",
      "not port 8000 => false",
      "not dst port 8000 => true",
      "host 10.0.0.99 => false",
      "tcp and portrange 7000-9000 => true",
      "udp => false",
      "ip => true",
      "ip6 => false",
      "vlan => false",
      "not vlan => true",
  })
  void connectionVerdictIsTheSameForEveryPacket(String expression, boolean expected) {
    CaptureFilter f = filter(expression);
    for (SynthPacket sp : exchange(CLIENT, SERVER)) {
      assertEquals(expected, f.matchesEitherDirection(decode(sp)), expression);
    }
    byte[] c = addr(CLIENT).getAddress();
    byte[] s = addr(SERVER).getAddress();
    assertEquals(expected, f.matchesConnection(c, CLIENT_PORT, s, SERVER_PORT, 6, -1));
    assertEquals(expected, f.matchesConnection(s, SERVER_PORT, c, CLIENT_PORT, 6, -1));
  }

  @Test
  void packetSemanticsFollowTheDirection() {
    CaptureFilter srcServer = filter("src host 10.0.0.10");
    CaptureFilter toServer = filter("dst host 10.0.0.10 and dst port 8000");
    CaptureFilter both = filter("src and dst net 10.0.0.0/16");
    CaptureFilter notDst = filter("not dst port 8000");
    for (SynthPacket sp : exchange(CLIENT, SERVER)) {
      DecodedPacket p = decode(sp);
      assertEquals(!fromClient(p), srcServer.matches(p));
      assertEquals(fromClient(p), toServer.matches(p));
      assertTrue(both.matches(p));
      assertEquals(!fromClient(p), notDst.matches(p));
    }
  }

  @Test
  void ipv6Connections() {
    String c6 = "2001:db8::7";
    String s6 = "2001:db8:1::10";
    CaptureFilter host = filter("host 2001:db8:1::10");
    CaptureFilter net = filter("src net 2001:db8:1::/48 and tcp src port 8000");
    CaptureFilter v4 = filter("ip or host 10.0.0.10 or net 0.0.0.0/0");
    CaptureFilter v6 = filter("ip6 and tcp and port 8000");
    CaptureFilter wrongNet = filter("net 2001:db8:2::/48");
    for (SynthPacket sp : exchange(c6, s6)) {
      DecodedPacket p = decode(sp);
      assertEquals(6, p.ipVersion());
      assertTrue(host.matches(p));
      assertEquals(!fromClient(p), net.matches(p));
      assertTrue(net.matchesEitherDirection(p));
      assertFalse(v4.matchesEitherDirection(p), "IPv4 primitives never match IPv6");
      assertTrue(v6.matches(p));
      assertFalse(wrongNet.matchesEitherDirection(p));
    }
  }

  @Test
  void vlanMatchesTheOutermostTag() {
    for (SynthPacket sp : exchange(CLIENT, SERVER, 100)) {
      DecodedPacket p = decode(sp);
      assertEquals(100, p.vlan());
      assertTrue(filter("vlan").matches(p));
      assertTrue(filter("vlan 100").matches(p));
      assertFalse(filter("vlan 200").matches(p));
      assertTrue(filter("vlan 100 and dst port 8000").matchesEitherDirection(p));
      assertFalse(filter("not vlan").matchesEitherDirection(p));
    }
    for (SynthPacket sp : exchange(CLIENT, SERVER, 0x2000 | 7, 300)) { // QinQ, priority bits on the outer tag
      DecodedPacket p = decode(sp);
      assertTrue(filter("vlan 7").matches(p));
      assertFalse(filter("vlan 300").matches(p));
    }
    byte[] c = addr(CLIENT).getAddress();
    byte[] s = addr(SERVER).getAddress();
    assertTrue(filter("vlan 100").matchesConnection(c, 1, s, 2, 6, 100));
    assertFalse(filter("vlan").matchesConnection(c, 1, s, 2, 6, -1));
  }

  @Test
  void udpAndTcpQualifiedPorts() {
    Inet4Address a = (Inet4Address) addr("192.168.1.5");
    Inet4Address b = (Inet4Address) addr("192.168.1.53");
    DecodedPacket p = decode(Frames.udpFrame(Link.of(LinkTypes.ETHERNET), Ipv4Header.of(a, b), 5353, 53,
        new byte[12]));
    assertTrue(p.isUdp());
    assertTrue(filter("udp").matches(p));
    assertFalse(filter("tcp").matches(p));
    assertTrue(filter("port 53").matches(p));
    assertTrue(filter("udp dst port domain").matches(p));
    assertFalse(filter("tcp port 53").matches(p));
    assertFalse(filter("udp src port 53").matches(p));
    assertTrue(filter("udp src port 53").matchesEitherDirection(p));
    assertTrue(filter("net 192.168.1.0 mask 255.255.255.0").matches(p));
    assertTrue(filter("src net 192.168.1.0 mask 255.255.255.248 and dst net 192.168.1.48/29").matches(p));
    assertFalse(filter("src net 192.168.1.48/29").matches(p));
    assertTrue(filter("src net 192.168.1.48/29").matchesEitherDirection(p));
  }

  @Test
  void nonIpPacketsNeverMatchAddressOrPortPrimitives() {
    // An ARP request: EtherType 0x0806, no IP.
    byte[] arp = Frames.ethernet(0xffffffffffffL, Link.DEFAULT_CLIENT_MAC, new int[0], 0x0806, new byte[28]);
    DecodedPacket p = decode(arp);
    assertEquals(0, p.ipVersion());
    for (String e : List.of("host 0.0.0.0", "net 0.0.0.0/0", "net ::/0", "port 0", "portrange 0-65535", "tcp", "udp",
        "ip", "ip6", "src and dst host 0.0.0.0", "vlan")) {
      assertFalse(filter(e).matches(p), e);
      assertFalse(filter(e).matchesEitherDirection(p), e);
    }
    assertTrue(filter("not host 10.0.0.1").matches(p), "negation of a false primitive is true, as in tcpdump");
    assertTrue(filter("").matches(p));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "net 10.0.0.0/8, 10.0.0.0, true",
      "net 10.0.0.0/8, 10.255.255.255, true",
      "net 10.0.0.0/8, 11.0.0.0, false",
      "net 10.0.0.0/8, 9.255.255.255, false",
      "net 192.168.1.0/25, 192.168.1.127, true",
      "net 192.168.1.0/25, 192.168.1.128, false",
      "net 192.168.1.128/25, 192.168.1.128, true",
      "net 192.168.1.128/25, 192.168.1.127, false",
      "net 192.168.1.4/31, 192.168.1.5, true",
      "net 192.168.1.4/31, 192.168.1.6, false",
      "net 192.168.1.5/32, 192.168.1.5, true",
      "net 192.168.1.5/32, 192.168.1.4, false",
      "net 0.0.0.0/0, 255.255.255.255, true",
      "net 0.0.0.0/0, ::1, false",
      "net 172.16, 172.16.255.1, true",
      "net 172.16, 172.17.0.1, false",
      "net 10.0.0.0 mask 255.0.255.0, 10.9.0.9, true",
      "net 10.0.0.0 mask 255.0.255.0, 10.9.1.9, false",
      "net 2001:db8::/32, 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff, true",
      "net 2001:db8::/32, 2001:db9::, false",
      "net 2001:db8::/32, 2001:db7:ffff::, false",
      "net 2001:db8:0:1::/64, 2001:db8:0:1:ffff::1, true",
      "net 2001:db8:0:1::/64, 2001:db8:0:2::1, false",
      "net fe80::/10, febf::1, true",
      "net fe80::/10, fec0::1, false",
      "net 2001:db8::/127, 2001:db8::1, true",
      "net 2001:db8::/127, 2001:db8::2, false",
      "net ::/0, 2001:db8::1, true",
      "net ::/0, 10.0.0.1, false",
      "host ::ffff:10.0.0.1, 10.0.0.1, false",
      "host 2001:db8::1, 2001:db8::1, true",
      "host 2001:db8::1, 2001:db8::100, false",
  })
  void cidrBoundaries(String expression, String address, boolean expected) {
    byte[] a = addr(address).getAddress();
    byte[] other = new byte[a.length];
    other[0] = (byte) 0xee; // outside every network above
    CaptureFilter f = filter(expression);
    assertEquals(expected, f.matchesConnection(a, 1000, other, 2000, 6, -1));
    assertEquals(expected, filter("src " + expression).matchesConnection(a, 1000,
        other, 2000, 6, -1));
  }

  @Test
  void survivesJavaSerialization() throws IOException, ClassNotFoundException {
    String expression = "(src net 10.0.0.0/16 or host 2001:db8::1) and not (udp portrange 1-1023 || vlan 5)"
        + " and tcp dst port 8000 or 8001 and net 10.1.0.0 mask 255.255.0.0";
    CaptureFilter f = filter(expression);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(f);
    }
    CaptureFilter back;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      back = (CaptureFilter) in.readObject();
    }
    assertEquals(f.toString(), back.toString());
    assertEquals(expression, back.expression());
    for (SynthPacket sp : exchange(CLIENT, SERVER)) {
      DecodedPacket p = decode(sp);
      assertEquals(f.matches(p), back.matches(p));
      assertEquals(f.matchesEitherDirection(p), back.matchesEitherDirection(p));
    }
    byte[] a = addr("10.1.2.3").getAddress();
    byte[] b = addr("10.0.9.9").getAddress();
    assertTrue(back.matchesConnection(a, 8001, b, 50000, 6, -1));
    assertFalse(back.matchesConnection(a, 8002, b, 50000, 6, -1));
  }

  @Test
  void evaluationAllocatesNothing() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
        "no per-thread allocation counter in this JVM");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    List<DecodedPacket> packets = new ArrayList<>();
    for (SynthPacket sp : exchange(CLIENT, SERVER)) {
      packets.add(decode(sp));
    }
    for (SynthPacket sp : exchange("2001:db8::7", "2001:db8::10", 12)) {
      packets.add(decode(sp));
    }
    DecodedPacket[] ps = packets.toArray(new DecodedPacket[0]);
    CaptureFilter f = filter("(host 10.0.0.10 or net 2001:db8::/64) and not vlan 13 and tcp dst portrange 8000-8080"
        + " or src and dst net 10.0.0.0/8");
    byte[] a = addr(CLIENT).getAddress();
    byte[] b = addr(SERVER).getAddress();
    long hits = 0;
    for (int i = 0; i < 200_000; i++) {
      hits += count(f, ps[i % ps.length], a, b);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    hits = 0;
    for (int i = 0; i < 1_000_000; i++) {
      hits += count(f, ps[i % ps.length], a, b);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(hits > 0);
    // One object per evaluation would be >= 16 MB; allow a few KiB for the measurement itself.
    assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over 1,000,000 evaluations");
  }

  private static int count(CaptureFilter f, DecodedPacket p, byte[] a, byte[] b) {
    return (f.matches(p) ? 1 : 0) + (f.matchesEitherDirection(p) ? 1 : 0)
        + (f.matchesConnection(a, 40001, b, 8000, 6, -1) ? 1 : 0);
  }
}
