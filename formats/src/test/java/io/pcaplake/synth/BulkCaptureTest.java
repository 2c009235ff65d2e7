package io.pcaplake.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.packet.IpPacket;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.TcpPacket;

class BulkCaptureTest {
  static final long TARGET = 6L << 20;

  @TempDir
  Path dir;

  /** Checks every record: checksums (pcap4j), and per direction seq continuity from SYN to FIN. */
  static Map<String, Integer> verify(List<SynthPacket> packets) {
    Map<String, Long> nextSeq = new HashMap<>();
    Map<String, Integer> kinds = new HashMap<>();
    long lastTs = 0;
    for (SynthPacket p : packets) {
      assertTrue(p.tsNanos() >= lastTs);
      lastTs = p.tsNanos();
      byte[] f = p.frame();
      int tags = 0;
      while (Oracle.u16(f, 12 + 4 * tags) == 0x8100 || Oracle.u16(f, 12 + 4 * tags) == 0x88a8) {
        tags++;
      }
      kinds.merge("tags" + tags, 1, Integer::sum);
      IpPacket ip = Oracle.ip(p);
      kinds.merge(ip instanceof IpV6Packet ? "v6" : "v4", 1, Integer::sum);
      TcpPacket tcp = Oracle.checkedTcp(p);
      TcpPacket.TcpHeader h = tcp.getHeader();
      String key = ip.getHeader().getSrcAddr() + ":" + h.getSrcPort().valueAsInt() + ">"
          + ip.getHeader().getDstAddr() + ":" + h.getDstPort().valueAsInt();
      long seq = h.getSequenceNumberAsLong();
      int len = tcp.getPayload() == null ? 0 : tcp.getPayload().length();
      if (h.getSyn()) {
        nextSeq.put(key, seq);
      }
      Long expected = nextSeq.get(key);
      if (expected != null) {
        assertEquals((long) expected, seq, key);
      }
      nextSeq.put(key, (seq + len + (h.getSyn() || h.getFin() ? 1 : 0)) & 0xffffffffL);
      kinds.merge(len == 1460 ? "mss" : len == 0 ? "empty" : "small", 1, Integer::sum);
    }
    return kinds;
  }

  @Test
  void writesAboutTheTargetSizeOfValidConsistentTraffic() throws Exception {
    Path out = dir.resolve("bulk.pcap");
    BulkCapture.Result r = BulkCapture.write(out, new BulkCapture.Options(TARGET, 200, false, 42, 1_700_000_000_000_000_000L));
    long size = Files.size(out);
    assertEquals(size, r.bytes());
    assertTrue(size >= TARGET && size < TARGET + BulkCapture.MAX_RECORD, "size " + size);
    List<SynthPacket> packets = Oracle.read(out);
    assertEquals(r.packets(), packets.size());
    Map<String, Integer> kinds = verify(packets);
    assertEquals(packets.size(), kinds.get("tags0"));
    assertEquals(packets.size(), kinds.get("v4"));
    assertTrue(kinds.get("mss") > packets.size() / 4 && kinds.get("small") > packets.size() / 10, kinds.toString());
  }

  @Test
  void mixedVariantHasVlansQinqAndIpv6() throws Exception {
    Path out = dir.resolve("mixed.pcap");
    BulkCapture.write(out, new BulkCapture.Options(TARGET, 300, true, 9, 1_700_000_000_000_000_000L));
    Map<String, Integer> kinds = verify(Oracle.read(out));
    assertTrue(kinds.get("tags1") > 0 && kinds.get("tags2") > 0 && kinds.get("tags0") > 0, kinds.toString());
    assertTrue(kinds.get("v6") > 0 && kinds.get("v4") > 0, kinds.toString());
  }

  @Test
  void sameOptionsSameBytes() throws Exception {
    BulkCapture.Options o = BulkCapture.Options.of(1 << 20, true);
    BulkCapture.write(dir.resolve("a.pcap"), o);
    BulkCapture.write(dir.resolve("b.pcap"), o);
    assertArrayEquals(Files.readAllBytes(dir.resolve("a.pcap")), Files.readAllBytes(dir.resolve("b.pcap")));
  }

  @Test
  void payloadPoolSumsMatchTheDirectSum() {
    PayloadPool pool = new PayloadPool(3);
    for (int[] c : new int[][] {{0, 0}, {0, 1}, {2, 1460}, {1000, 33}, {PayloadPool.SIZE - 1460, 1460}}) {
      assertEquals(Checksums.finish(Checksums.sum(pool.bytes, c[0], c[1])), Checksums.finish(pool.sum(c[0], c[1])));
    }
    assertEquals(64L << 30, BulkCapture.parseSize("64g"));
    assertEquals(500L << 20, BulkCapture.parseSize("500M"));
  }
}
