package io.pcaplake.flow;

import io.pcaplake.packet.IpAddresses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.capture.ArrayByteSource;
import io.pcaplake.capture.ByteSource;
import io.pcaplake.report.ReportXmlWriter;
import io.pcaplake.synth.CaptureFiles;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.Side;
import io.pcaplake.synth.SynthPacket;
import io.pcaplake.synth.TcpConversation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiConsumer;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class FlowCoreTest {

  @Test
  void communityIdSpecVector() {
    FlowKey k = FlowKey.of("128.232.110.120", 34855, "66.35.250.204", 80, 6, -1);
    assertEquals("1:LQU9qZlK+B5F3KDmev6m5PMibrg=", CommunityId.of(k));
    assertEquals(k, FlowKey.of("66.35.250.204", 80, "128.232.110.120", 34855, 6, -1));
  }

  /**
   * IPv6 and UDP: vectors from the Community ID spec repository's baseline (baseline/baseline_deflt.json and
   * baseline_seed1.json), each also recomputed by {@link #referenceCommunityId}, a separate minimal implementation,
   * from both directions; plus an IPv6 UDP flow the baseline lacks, checked only against that implementation and
   * a value computed outside Java (Python hashlib, same byte layout).
   */
  @Test
  void communityIdIpv6AndUdpVectors() throws Exception {
    String[][] vectors = {
        // saddr, sport, daddr, dport, proto, seed, expected
        {"2001:470:e5bf:dead:4957:2174:e82c:4887", "63943", "2607:f8b0:400c:c03::1a", "25", "6", "0",
            "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4="},
        {"2001:470:e5bf:dead:4957:2174:e82c:4887", "63943", "2607:f8b0:400c:c03::1a", "25", "6", "1",
            "1:eJYTW6AOzFLlSUoESovMjnu7rMw="},
        {"192.168.1.52", "54585", "8.8.8.8", "53", "17", "0", "1:d/FP5EW3wiY1vCndhwleRRKHowQ="},
        {"192.168.1.52", "54585", "8.8.8.8", "53", "17", "1", "1:Q9We8WO3piVF8yEQBNJF4uiSVrI="},
        {"2001:db8::1", "5353", "2001:db8::53", "53", "17", "0", "1:8rGE/8caNsUS5YBADl0Jqq5Khdw="},
    };
    for (String[] v : vectors) {
      int sport = Integer.parseInt(v[1]);
      int dport = Integer.parseInt(v[3]);
      int proto = Integer.parseInt(v[4]);
      int seed = Integer.parseInt(v[5]);
      byte[] src = InetAddress.getByName(v[0]).getAddress();
      byte[] dst = InetAddress.getByName(v[2]).getAddress();
      String expected = v[6];
      String what = String.join(" ", v);
      assertEquals(expected, referenceCommunityId(src, sport, dst, dport, proto, seed), what);
      assertEquals(expected, referenceCommunityId(dst, dport, src, sport, proto, seed), what);
      assertEquals(expected, CommunityId.of(FlowKey.of(v[0], sport, v[2], dport, proto, -1), seed), what);
      assertEquals(expected, CommunityId.of(FlowKey.of(v[2], dport, v[0], sport, proto, -1), seed), what);
      assertEquals(expected, CommunityId.of(src, sport, dst, dport, proto, seed), what);
      assertEquals(expected, CommunityId.of(dst, dport, src, sport, proto, seed), what);
    }
    // The VLAN is not part of a Community ID.
    assertEquals("1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
        CommunityId.of(FlowKey.of("8.8.8.8", 53, "192.168.1.52", 54585, 17, 42)));
  }

  /**
   * The spec written out independently of {@link CommunityId}: SHA-1 over seed (2 bytes, big-endian), source
   * address, destination address, protocol (1 byte), a zero pad byte, source port, destination port (2 bytes each,
   * big-endian), the smaller (address, port) endpoint first; base64; prefixed "1:".
   */
  private static String referenceCommunityId(byte[] sa, int sp, byte[] da, int dp, int proto, int seed)
      throws Exception {
    int c = Arrays.compareUnsigned(sa, da);
    if (c > 0 || (c == 0 && sp > dp)) {
      return referenceCommunityId(da, dp, sa, sp, proto, seed);
    }
    ByteBuffer b = ByteBuffer.allocate(2 + sa.length + da.length + 2 + 4);
    b.putShort((short) seed).put(sa).put(da).put((byte) proto).put((byte) 0).putShort((short) sp)
        .putShort((short) dp);
    byte[] digest = MessageDigest.getInstance("SHA-1").digest(b.array());
    return "1:" + Base64.getEncoder().encodeToString(digest);
  }

  @Test
  void keyEncodingRoundTripsAndSorts() {
    FlowKey v4 = FlowKey.of("10.0.0.9", 8000, "10.0.0.5", 40001, 6, 42);
    assertEquals("10.0.0.5", v4.ipA());
    assertEquals(40001, v4.portA());
    assertEquals(v4, FlowKey.decode(v4.encode()));
    assertEquals(16, v4.encode().length);
    FlowKey v6 = FlowKey.of("2001:db8::1", 80, "::1", 5000, 6, -1);
    assertEquals(v6, FlowKey.decode(v6.encode()));
    assertEquals("::1", v6.ipA());
    assertEquals(40, v6.encode().length);
    assertTrue(FlowKey.isFromA(v4.addrA(), 40001, v4.addrB(), 8000));
  }

  @Test
  void flowIdIsStableAndDistinct() {
    FlowKey k = FlowKey.of("10.0.0.5", 40001, "10.0.0.9", 8000, 6, -1);
    String id = FlowId.of(k, 1_700_000_000_000_000_000L, 0);
    assertEquals(32, id.length());
    assertEquals(id, FlowId.of(FlowKey.decode(k.encode()), 1_700_000_000_000_000_000L, 0));
    assertNotEquals(id, FlowId.of(k, 1_700_000_000_000_000_000L, 1));
  }

  @Test
  void ipv6TextIsInetNtop() {
    byte[] a = new byte[16];
    a[10] = (byte) 0xff;
    a[11] = (byte) 0xff;
    a[12] = 1;
    a[15] = 2;
    assertEquals("::ffff:1.0.0.2", IpAddresses.format(a));
    assertEquals("2001:db8:10::100", FlowKey.of("2001:db8:10::100", 1, "2001:db8:10::1", 2, 6, -1).ipB());
  }

  private static List<SynthPacket> conversation() throws Exception {
    TcpConversation c = TcpConversation.between(InetAddress.getByName("10.0.0.5"), 40001,
            InetAddress.getByName("10.0.0.9"), 8000)
        .ethernet(0x020000000001L, 0x020000000002L, 7).start(1_700_000_000_000_000_000L).open();
    c.handshake();
    for (int i = 0; i < 20; i++) {
      c.clientSends(("GET /" + i + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      c.serverSends(("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok" + i).getBytes(StandardCharsets.US_ASCII));
    }
    c.fin();
    // Port reuse needs new ISNs: the conversation's defaults are 1000/5000, and a SYN carrying the side's first ISN
    // again is a retransmitted SYN (the reassembler rightly keeps one connection), so the old newConnection(1000,
    // 5000) here never produced a second connection.
    c.idle(50_000_000L).newConnection(3_000_000_000L, 7_000_000L).handshake()
        .clientSends("GET /reused HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
        .serverSends("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).fin();
    // A second client port, interleaved in time with the first connection (its own key).
    TcpConversation d = TcpConversation.between(InetAddress.getByName("10.0.0.5"), 40002,
            InetAddress.getByName("10.0.0.9"), 8000)
        .ethernet(0x020000000001L, 0x020000000002L, 7).start(1_700_000_000_003_000_000L).open();
    d.handshake();
    for (int i = 0; i < 5; i++) {
      d.clientSends(("GET /b" + i + " HTTP/1.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      d.serverSends(("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nb" + i).getBytes(StandardCharsets.US_ASCII));
    }
    d.rst(Side.SERVER);
    List<SynthPacket> all = new ArrayList<>(c.packets());
    all.addAll(d.packets());
    all.sort(Comparator.comparingLong(SynthPacket::tsNanos));
    return all;
  }

  @Test
  void rotatedFilesGiveTheSameConnections() throws Exception {
    List<SynthPacket> packets = conversation();
    LocalFlows.Result one = LocalFlows.run(List.of("all.pcap"),
        List.of(new ArrayByteSource("all.pcap", CaptureFiles.bytes(Format.PCAP, packets))));
    assertEquals(3, one.connections().size());
    ConnectionRecord first = one.connections().get(0);
    assertEquals(7, first.vlan());
    assertEquals(0x020000000001L, first.clientReport().srcMac());
    // Payload bytes per side, summed by hand from the scripted messages above.
    assertEquals(List.of("40001#0 SF 570 830", "40001#1 SF 24 27", "40002#0 RSTR 100 200"), one.connections().stream()
        .map(FlowCoreTest::summary).toList());
    assertNotEquals(one.connections().get(0).flowId(), one.connections().get(1).flowId());
    for (int per : new int[] {1, 3, 7, 50}) {
      List<String> names = new ArrayList<>();
      List<ByteSource> files = new ArrayList<>();
      for (int i = 0; i * per < packets.size(); i++) {
        String n = "rot" + i + ".pcap";
        names.add(n);
        files.add(new ArrayByteSource(n, CaptureFiles.bytes(Format.PCAP,
            packets.subList(i * per, Math.min(packets.size(), (i + 1) * per)))));
      }
      LocalFlows.Result r = LocalFlows.run(names, files);
      assertEquals(3, r.connections().size(), "per=" + per);
      for (int i = 0; i < r.connections().size(); i++) {
        assertEquals(withoutFiles(one.connections().get(i)), withoutFiles(r.connections().get(i)), "per=" + per);
      }
      assertEquals(one.anomalies().stream().map(FlowCoreTest::withoutFile).toList(),
          r.anomalies().stream().map(FlowCoreTest::withoutFile).toList(), "per=" + per);
    }
  }

  /**
   * tcpflow drops a SYN that arrives on a flow which has seen a SYN and stored payload ("SYN TO IGNORE!"), before
   * counting it; a SYN retransmitted before any payload is counted (http-retrans-chunked-keepalive, frame 10).
   */
  @Test
  void reportDropsSynRetransmittedAfterData() {
    FlowKey k = FlowKey.of("10.0.0.5", 40001, "10.0.0.9", 80, 6, -1);
    boolean c = k.portA() == 40001;
    byte[] data = "0123456789".getBytes(StandardCharsets.US_ASCII);
    int syn = 0x02;
    int fin = 0x01;
    int ack = 0x10;
    List<LocalFlows.Seg> segs = new ArrayList<>();
    long[] t = {1_000};
    BiConsumer<Object[], byte[]> add = (f, p) -> segs.add(new LocalFlows.Seg(k.encode(),
        (boolean) f[0], t[0] += 1_000, 0, t[0], (long) f[1], (long) f[2], (int) f[3], 65535, -1, p,
        p.length, 54 + p.length, 54 + p.length, -1, -1));
    byte[] none = new byte[0];
    add.accept(new Object[] {c, 100L, 0L, syn}, none);
    add.accept(new Object[] {!c, 500L, 101L, syn | ack}, none);
    add.accept(new Object[] {c, 100L, 0L, syn}, none);           // before any payload: counted
    add.accept(new Object[] {c, 101L, 501L, ack}, none);
    add.accept(new Object[] {c, 101L, 501L, ack}, data);
    add.accept(new Object[] {c, 100L, 0L, syn}, none);           // after payload: dropped by tcpflow
    add.accept(new Object[] {!c, 501L, 111L, ack}, none);
    add.accept(new Object[] {c, 111L, 501L, fin | ack}, none);
    add.accept(new Object[] {!c, 501L, 112L, fin | ack}, none);
    add.accept(new Object[] {c, 112L, 502L, ack}, none);          // after the FIN: not counted
    ConnectionRecord r = LocalFlows.assemble(List.of("x.pcap"), segs, segs.size()).connections().get(0);
    assertEquals(7, r.clientPackets());
    assertEquals(5, r.clientReport().packets());
    assertEquals(5 * 54 + 10, r.clientReport().wireLen());
    assertEquals(10, r.clientReport().filesize());
    assertEquals(3, r.serverReport().packets());
  }

  private static String summary(ConnectionRecord c) {
    return c.clientPort() + "#" + c.connectionIndex() + " " + c.connState() + " " + c.clientBytes() + " "
        + c.serverBytes();
  }

  private static String withoutFile(AnomalyRecord a) {
    return a.flowId() + " " + a.ts() + " " + a.reason() + " " + a.detail();
  }

  private static ConnectionRecord withoutFiles(ConnectionRecord c) {
    return new ConnectionRecord(c.flowId(), c.communityId(), c.connectionIndex(), c.startTs(), c.endTs(),
        c.durationMs(), c.family(), c.clientIp(), c.clientPort(), c.serverIp(), c.serverPort(), c.vlan(),
        c.clientPackets(), c.serverPackets(), c.clientBytes(), c.serverBytes(), c.missingBytes(),
        c.retransmittedBytes(), c.outOfOrderCount(), c.overlapConflicts(), c.synSeen(), c.finSeen(), c.rstSeen(),
        c.connState(), c.history(), List.of(), c.key(), c.clientReport(), c.serverReport());
  }

  @Test
  void reportIsWellFormedWithHostileStringsAndAfterAbort() throws Exception {
    List<SynthPacket> packets = conversation();
    LocalFlows.Result r = LocalFlows.run(List.of("a.pcap"),
        List.of(new ArrayByteSource("a.pcap", CaptureFiles.bytes(Format.PCAP, packets))));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ReportXmlWriter w = new ReportXmlWriter(out, ReportXmlWriter.Options.of("pcaplake report '<x>' & \u0001\ud800"));
    w.connection(r.connections().get(0));
    w.abort("disk \"full\" <\u0000>");
    w.close();
    String xml = out.toString(StandardCharsets.UTF_8);
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.newDocumentBuilder().parse(new ByteArrayInputStream(out.toByteArray()));
    assertTrue(xml.contains("<filename>010.000.000.005.40001-010.000.000.009.08000--7</filename>"), xml);
    assertTrue(xml.contains("mac_daddr='02:00:00:00:00:02' mac_saddr='02:00:00:00:00:01' family='2' "
        + "src_ipn='10.0.0.5' dst_ipn='10.0.0.9' srcport='40001' dstport='8000' packets="), xml);
    assertTrue(xml.contains("<pl:aborted>"), xml);
    assertTrue(xml.endsWith("</dfxml>\n"));
    assertEquals("2023-11-14T22:13:20Z", ReportXmlWriter.time(1_700_000_000_000_000_000L));
    assertEquals("2023-11-14T22:13:20.006000Z", ReportXmlWriter.time(1_700_000_000_006_000_000L));
  }
}
