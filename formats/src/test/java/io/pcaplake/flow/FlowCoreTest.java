package io.pcaplake.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.capture.ArrayByteSource;
import io.pcaplake.capture.ByteSource;
import io.pcaplake.report.ReportXmlWriter;
import io.pcaplake.synth.CaptureFiles;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.SynthPacket;
import io.pcaplake.synth.TcpConversation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class FlowCoreTest {

  @Test
  void communityIdSpecVector() {
    FlowKey k = FlowKey.of("128.232.110.120", 34855, "66.35.250.204", 80, 6, -1);
    assertEquals("1:LQU9qZlK+B5F3KDmev6m5PMibrg=", CommunityId.of(k));
    assertEquals(k, FlowKey.of("66.35.250.204", 80, "128.232.110.120", 34855, 6, -1));
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
    assertEquals("::ffff:1.0.0.2", Addresses.format(a));
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
    c.newConnection(1000, 5000).handshake().clientSends("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
        .fin();
    return c.packets();
  }

  @Test
  void rotatedFilesGiveTheSameConnections() throws Exception {
    List<SynthPacket> packets = conversation();
    LocalFlows.Result one = LocalFlows.run(List.of("all.pcap"),
        List.of(new ArrayByteSource("all.pcap", CaptureFiles.bytes(Format.PCAP, packets))));
    assertTrue(one.connections().size() >= 1);
    ConnectionRecord first = one.connections().get(0);
    assertEquals(7, first.vlan());
    assertEquals(0x020000000001L, first.clientReport().srcMac());
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
      assertEquals(one.connections().size(), r.connections().size());
      for (int i = 0; i < r.connections().size(); i++) {
        assertEquals(withoutFiles(one.connections().get(i)), withoutFiles(r.connections().get(i)), "per=" + per);
      }
      assertEquals(one.anomalies().size(), r.anomalies().size());
    }
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
