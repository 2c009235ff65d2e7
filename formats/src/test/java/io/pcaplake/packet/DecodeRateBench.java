package io.pcaplake.packet;

import io.pcaplake.capture.ProblemSink;
import java.util.Random;

/**
 * Decode-rate microbenchmark (not a test): Ethernet/IPv4/TCP frames with timestamps option and 0-600 bytes of payload,
 * held in one buffer, decoded in rounds. Run:
 * {@code java -cp formats/target/classes:formats/target/test-classes:<deps> io.pcaplake.packet.DecodeRateBench}.
 */
public final class DecodeRateBench {
  private DecodeRateBench() { }

  public static void main(String[] args) {
    int frames = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    Random random = new Random(1);
    byte[] options = TestFrames.of().u8(1).u8(1).u8(8).u8(10).u32(123).u32(456).build();
    byte[][] parts = new byte[frames][];
    int total = 0;
    for (int i = 0; i < frames; i++) {
      byte[] tcp = TestFrames.tcp(1024 + random.nextInt(60000), 80, random.nextInt() & 0xffffffffL, i, 0x18, options,
          new byte[random.nextInt(601)]);
      parts[i] = TestFrames.ethernet(0x0800, TestFrames.ipv4(6, tcp));
      total += parts[i].length;
    }
    byte[] buffer = new byte[total];
    int[] offsets = new int[frames];
    int pos = 0;
    for (int i = 0; i < frames; i++) {
      offsets[i] = pos;
      System.arraycopy(parts[i], 0, buffer, pos, parts[i].length);
      pos += parts[i].length;
    }
    parts = null;
    PacketDecoder decoder = new PacketDecoder();
    ProblemSink sink = ProblemSink.IGNORE;
    for (int round = 0; round < rounds; round++) {
      long checksum = 0;
      long start = System.nanoTime();
      for (int i = 0; i < frames; i++) {
        int len = (i + 1 < frames ? offsets[i + 1] : total) - offsets[i];
        DecodedPacket p = decoder.decode(buffer, offsets[i], len, len, 1, i, offsets[i], sink);
        checksum += p.srcPort() + p.dstPort() + p.payloadLength() + p.tcpSeq() + p.tcpFlags() + p.srcIpOffset();
      }
      long nanos = System.nanoTime() - start;
      System.out.printf("ours   round %d: %.2f M pkt/s (checksum %d)%n", round, frames / (nanos / 1e9) / 1e6,
          checksum);
    }
    // The same frames through pcap4j, for scale (the reference decoder of the cross-check test).
    for (int round = 0; round < rounds / 2; round++) {
      long checksum = 0;
      long start = System.nanoTime();
      for (int i = 0; i < frames; i++) {
        int len = (i + 1 < frames ? offsets[i + 1] : total) - offsets[i];
        org.pcap4j.packet.Packet p = org.pcap4j.packet.factory.PacketFactories
            .getFactory(org.pcap4j.packet.Packet.class, org.pcap4j.packet.namednumber.DataLinkType.class)
            .newInstance(buffer, offsets[i], len, org.pcap4j.packet.namednumber.DataLinkType.EN10MB);
        org.pcap4j.packet.TcpPacket tcp = p.get(org.pcap4j.packet.TcpPacket.class);
        checksum += tcp.getHeader().getSrcPort().valueAsInt() + tcp.getHeader().getDstPort().valueAsInt()
            + (tcp.getPayload() == null ? 0 : tcp.getPayload().length());
      }
      long nanos = System.nanoTime() - start;
      System.out.printf("pcap4j round %d: %.2f M pkt/s (checksum %d)%n", round, frames / (nanos / 1e9) / 1e6,
          checksum);
    }
  }
}
