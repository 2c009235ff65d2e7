package io.pcaplake.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.synth.Fragments;
import io.pcaplake.synth.Frames;
import io.pcaplake.synth.Ipv4Header;
import io.pcaplake.synth.Ipv6Header;
import io.pcaplake.synth.Link;
import io.pcaplake.synth.SampleCapture;
import io.pcaplake.synth.SynthPacket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Decodes traffic built by the synthesizer (an independent frame builder) and checks it against what was built. */
class PacketDecoderSynthTest {
  private static final int[] LINK_TYPES = {1, 0, 108, 101, 113, 276};

  private static Inet4Address v4(String s) throws Exception {
    return (Inet4Address) InetAddress.getByName(s);
  }

  private static Inet6Address v6(String s) throws Exception {
    return (Inet6Address) InetAddress.getByName(s);
  }

  @Test
  void shuffledFragmentsReassembleOnEveryLinkType() throws Exception {
    Random random = new Random(7);
    for (int round = 0; round < 60; round++) {
      int linkType = LINK_TYPES[round % LINK_TYPES.length];
      Link link = linkType == 1 && round % 4 == 0 ? Link.ethernet(1, 2, 0x0064, 0x00c8) : Link.of(linkType);
      byte[] body = new byte[1 + random.nextInt(6000)];
      random.nextBytes(body);
      boolean ipv6 = round % 2 == 1;
      List<byte[]> fragments;
      if (ipv6) {
        Ipv6Header h = Ipv6Header.of(v6("2001:db8::1"), v6("2001:db8::2"));
        fragments = Fragments.ipv6(h, Frames.PROTO_UDP, Frames.udp(h, 5000, 53, body), 1232, 1000 + round);
      } else {
        fragments = Fragments.ipv4(Frames.ipv4(Ipv4Header.of(v4("192.0.2.1"), v4("192.0.2.2")), Frames.PROTO_UDP,
            Frames.udp(Ipv4Header.of(v4("192.0.2.1"), v4("192.0.2.2")), 5000, 53, body)), 1480);
      }
      fragments = Fragments.shuffled(fragments, round);
      PacketDecoder decoder = new PacketDecoder();
      RecordingSink sink = new RecordingSink();
      for (int i = 0; i < fragments.size(); i++) {
        byte[] frame = link.frame(fragments.get(i));
        DecodedPacket p = decoder.decode(frame, 0, frame.length, frame.length, linkType, i, i, sink);
        String where = "round " + round + " link " + linkType + " fragment " + i + "/" + fragments.size();
        if (i < fragments.size() - 1) {
          assertEquals(DecodeStatus.FRAGMENT, p.status(), where);
          continue;
        }
        assertEquals(DecodeStatus.OK, p.status(), where);
        assertEquals(fragments.size() > 1, p.reassembled(), where);
        assertEquals(link.outerVlan(), p.vlan(), where);
        assertEquals(ipv6 ? 6 : 4, p.ipVersion(), where);
        assertEquals(5000, p.srcPort(), where);
        assertEquals(body.length, p.payloadLength(), where);
        assertArrayEquals(body, Arrays.copyOfRange(p.buffer(), p.payloadOffset(), p.payloadOffset() + body.length),
            where);
      }
      assertTrue(sink.reasons.isEmpty(), sink.reasons.toString());
    }
  }

  @Test
  void conflictingOverlapsKeepFirstBytesAndAreReported() throws Exception {
    byte[] body = new byte[4000];
    new Random(3).nextBytes(body);
    Ipv4Header h = Ipv4Header.of(v4("192.0.2.1"), v4("192.0.2.2"));
    List<byte[]> fragments = Fragments.ipv4Overlapping(Frames.ipv4(h, Frames.PROTO_UDP, Frames.udp(h, 1, 2, body)),
        1024, 16, true);
    PacketDecoder decoder = new PacketDecoder();
    RecordingSink sink = new RecordingSink();
    DecodedPacket p = null;
    for (byte[] ip : fragments) {
      p = decoder.decode(ip, 0, ip.length, ip.length, 101, 0, 0, sink);
    }
    assertEquals(DecodeStatus.OK, p.status());
    assertTrue(p.reassembled());
    assertArrayEquals(body, Arrays.copyOfRange(p.buffer(), p.payloadOffset(), p.payloadOffset() + p.payloadLength()));
    assertEquals(fragments.size() - 1, sink.count(PacketReasons.FRAGMENT_OVERLAP));
  }

  @Test
  void sampleCaptureDecodesCleanly() {
    SampleCapture.Generated generated = SampleCapture.generate(SampleCapture.Options.defaults());
    PacketDecoder decoder = new PacketDecoder();
    RecordingSink sink = new RecordingSink();
    int tcp = 0;
    for (SynthPacket s : generated.packets()) {
      DecodedPacket p = decoder.decode(s.frame(), 0, s.frame().length, s.origlen(), s.linkType(), s.tsNanos(), 0, sink);
      assertEquals(DecodeStatus.OK, p.status());
      tcp += p.isTcp() ? 1 : 0;
    }
    assertEquals(generated.truth().packets(), tcp);
    assertTrue(sink.reasons.isEmpty(), sink.reasons.toString());
  }
}
