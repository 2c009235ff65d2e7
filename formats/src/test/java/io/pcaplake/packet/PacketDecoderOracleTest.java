package io.pcaplake.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.capture.CaptureReader;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.FileByteSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Our decoder's counts against the tshark oracle summaries of the shared captures. */
class PacketDecoderOracleTest {

  private static Path capture(String name) {
    String shared = System.getProperty("pcaplake.shared");
    Path path = shared == null ? null : Path.of(shared, "pcaps", name);
    Assumptions.assumeTrue(path != null && Files.exists(path),
        "shared capture " + name + " not found (pcaplake.shared=" + shared + ")");
    return path;
  }

  private static int oracle(String capture, String field) throws IOException {
    Path json = capture("oracle/" + capture + ".summary.json");
    Matcher m = Pattern.compile("\"" + field + "\":\\s*(\\d+)").matcher(Files.readString(json));
    assertTrue(m.find(), field + " in " + json);
    return Integer.parseInt(m.group(1));
  }

  /**
   * {@code incomplete}: datagrams we must report as never completed. The jpegs capture holds only the trailing
   * fragment (offset 744, MF=0) of each of its 19 fragmented datagrams: tshark's ip_fragments is 19 and no frame
   * has MF set, so the first fragments were never captured.
   */
  @ParameterizedTest
  @CsvSource({"http-ipv4-fragmented-responses-jpegs,19", "http-vlan-8021q,0", "http-qinq-double-8021q,0",
      "http-triple-vlan-qinqinq,0", "tcp-snaplen40-headers-only,0", "http-snaplen96-cut,0",
      "http-linux-sll2-large-download,0", "http-rawip-dlt101-ipv6-keepalive-chunked,0", "http-ipv6-null-loopback,0"})
  void countsMatchTshark(String name, int incomplete) throws IOException {
    Path path = capture(name + ".pcap");
    RecordingSink sink = new RecordingSink();
    PacketDecoder decoder = new PacketDecoder();
    int fragments = 0;
    int reassembled = 0;
    int maxVlanDepth = 0;
    int tcpPayloadFrames = 0;
    int cutFrames = 0;
    int ipv6 = 0;
    try (CaptureReader r = Captures.open(new FileByteSource(path), sink)) {
      while (r.next()) {
        DecodedPacket p = decoder.decode(r.data(), r.dataOffset(), r.caplen(), r.origlen(), r.linkType(),
            r.timestampNanos(), r.recordOffset(), sink);
        fragments += p.fragment() ? 1 : 0;
        reassembled += p.reassembled() ? 1 : 0;
        maxVlanDepth = Math.max(maxVlanDepth, p.vlanDepth());
        ipv6 += p.ipVersion() == 6 ? 1 : 0;
        // tshark's tcp.len > 0 counts frames whose TCP header was decoded and whose segment carries data; for a
        // reassembled datagram it is the last fragment's frame.
        tcpPayloadFrames += p.isTcp() && p.payloadWireLength() > 0 ? 1 : 0;
        cutFrames += r.caplen() < r.origlen() ? 1 : 0;
      }
    }
    decoder.flush(sink);
    assertEquals(oracle(name, "ip_fragments"), fragments, "ip_fragments");
    assertEquals(oracle(name, "vlan_max_depth"), maxVlanDepth, "vlan_max_depth");
    assertEquals(oracle(name, "ipv6_frames"), ipv6, "ipv6_frames");
    assertEquals(oracle(name, "snaplen_cut_frames"), cutFrames, "snaplen_cut_frames");
    assertEquals(oracle(name, "tcp_payload_frames"), tcpPayloadFrames, "tcp_payload_frames");
    assertEquals(incomplete, sink.count(PacketReasons.FRAGMENT_INCOMPLETE), sink.details.toString());
    assertEquals(0, sink.count(PacketReasons.FRAGMENT_OVERLAP), sink.details.toString());
    assertEquals(fragments - incomplete, reassembled, "every datagram not reported incomplete is reassembled");
  }
}
