package io.pcaplake.packet;

import static io.pcaplake.packet.TestFrames.ethernet;
import static io.pcaplake.packet.TestFrames.ethernetVlan;
import static io.pcaplake.packet.TestFrames.ipv4;
import static io.pcaplake.packet.TestFrames.ipv6;
import static io.pcaplake.packet.TestFrames.of;
import static io.pcaplake.packet.TestFrames.tcp;
import static io.pcaplake.packet.TestFrames.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** STYLE §9: no object per header on the hot path. Measures this thread's allocations over many decodes. */
class PacketDecoderAllocationTest {

  @Test
  void decodingUnfragmentedPacketsAllocatesNothing() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
        "no per-thread allocation counter in this JVM");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
    byte[] options = of().u8(2).u8(4).u16(1460).u8(1).u8(3).u8(3).u8(7).build();
    byte[][] frames = {
        ethernet(0x0800, ipv4(6, tcp(1, 80, 5, 6, 0x18, options, new byte[300]))),
        ethernetVlan(new int[] {0x88a8, 1, 0x8100, 2}, 0x86dd, ipv6(17, new byte[0], udp(53, 9, new byte[40]))),
        of().u16(0).u16(1).u16(6).zeros(8).u16(0x0800).bytes(ipv4(1, new byte[8])).build(), // SLL + ICMP
    };
    int[] linkTypes = {1, 1, 113};
    PacketDecoder decoder = new PacketDecoder();
    long sum = 0;
    for (int warm = 0; warm < 50_000; warm++) {
      int i = warm % frames.length;
      sum += decoder.decode(frames[i], 0, frames[i].length, frames[i].length, linkTypes[i], warm, warm,
          ProblemSinks.NONE).payloadLength();
    }
    assertTrue(sum > 0);
    sum = 0;
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int n = 0; n < 300_000; n++) {
      int i = n % frames.length;
      DecodedPacket p = decoder.decode(frames[i], 0, frames[i].length, frames[i].length, linkTypes[i], n, n,
          ProblemSinks.NONE);
      sum += p.payloadLength();
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertEquals(300_000 / 3 * (300 + 40 + 8), sum, "decoded payload lengths");
    // A few KiB of slack for the measurement itself; one object per packet would be >= 4.8 MB.
    assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes over 300,000 decodes");
  }
}
