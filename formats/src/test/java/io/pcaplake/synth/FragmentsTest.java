package io.pcaplake.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.IpV4Packet;

class FragmentsTest {
  /** A UDP datagram of 1000 payload bytes with a copied (0x83 LSRR-like) and a non-copied (0x07 RR) option. */
  static byte[] datagram() {
    byte[] payload = new byte[1000];
    new Random(7).nextBytes(payload);
    byte[] options = {(byte) 0x83, 3, 0, 1, 7, 3, 0, 0};
    Ipv4Header h = Ipv4Header.of(FramesTest.C4, FramesTest.S4).withId(0xbeef).withOptions(options, true);
    return h.wrap(Frames.PROTO_UDP, Frames.udp(h, 1000, 2000, payload));
  }

  /** Reassembles IPv4 fragments by offset, first copy of each byte wins; checks each header with pcap4j. */
  static byte[] reassemble(List<byte[]> fragments, int originalPayload) throws Exception {
    byte[] out = new byte[originalPayload];
    boolean[] have = new boolean[originalPayload];
    boolean sawLast = false;
    for (byte[] f : fragments) {
      IpV4Packet.IpV4Header h = IpV4Packet.newPacket(f, 0, f.length).getHeader();
      assertTrue(h.hasValidChecksum(false));
      assertFalse(h.getDontFragmentFlag());
      assertEquals(0xbeef, h.getIdentificationAsInt());
      int off = h.getFragmentOffset() * 8;
      int hl = h.getIhlAsInt() * 4;
      assertEquals(f.length, h.getTotalLengthAsInt());
      sawLast |= !h.getMoreFragmentFlag();
      for (int i = hl; i < f.length; i++) {
        if (!have[off + i - hl]) {
          have[off + i - hl] = true;
          out[off + i - hl] = f[i];
        }
      }
    }
    assertTrue(sawLast);
    for (boolean b : have) {
      assertTrue(b);
    }
    return out;
  }

  @Test
  void ipv4FragmentsRoundTripInAnyOrder() throws Exception {
    byte[] d = datagram();
    int hl = (d[0] & 0xf) * 4;
    byte[] payload = java.util.Arrays.copyOfRange(d, hl, d.length);
    List<byte[]> frags = Fragments.ipv4(d, 256);
    assertEquals(4, frags.size());
    assertEquals(28, (frags.get(0)[0] & 0xf) * 4, "first fragment keeps all options");
    assertEquals(24, (frags.get(1)[0] & 0xf) * 4, "later fragments keep only copied options");
    assertArrayEquals(payload, reassemble(frags, payload.length));
    List<byte[]> reversed = new ArrayList<>(frags);
    Collections.reverse(reversed);
    assertArrayEquals(payload, reassemble(reversed, payload.length));
    assertArrayEquals(payload, reassemble(Fragments.shuffled(frags, 3), payload.length));
  }

  @Test
  void overlappingFragmentsRepeatOrConflict() throws Exception {
    byte[] d = datagram();
    int hl = (d[0] & 0xf) * 4;
    byte[] payload = java.util.Arrays.copyOfRange(d, hl, d.length);
    List<byte[]> same = Fragments.ipv4Overlapping(d, 256, 16, false);
    assertArrayEquals(payload, reassemble(same, payload.length));
    List<byte[]> conflicting = Fragments.ipv4Overlapping(d, 256, 16, true);
    assertArrayEquals(payload, reassemble(conflicting, payload.length), "in order, first copy is the true one");
    List<byte[]> reversed = new ArrayList<>(conflicting);
    Collections.reverse(reversed);
    assertNotEquals(java.util.Arrays.toString(payload), java.util.Arrays.toString(reassemble(reversed, payload.length)));
  }

  @Test
  void ipv6FragmentHeadersCarryOffsetsAndMoreFlag() {
    byte[] upper = Frames.udp(Ipv6Header.of(FramesTest.C6, FramesTest.S6), 1, 2, new byte[700]);
    List<byte[]> frags = Fragments.ipv6(Ipv6Header.of(FramesTest.C6, FramesTest.S6), Frames.PROTO_UDP, upper, 304,
        0xcafef00dL);
    assertEquals(3, frags.size());
    byte[] joined = new byte[upper.length];
    for (int i = 0; i < frags.size(); i++) {
      byte[] f = frags.get(i);
      assertEquals(Frames.PROTO_IPV6_FRAGMENT, f[6]);
      assertEquals(f.length - 40, Oracle.u16(f, 4));
      assertEquals(Frames.PROTO_UDP, f[40]);
      int offMore = Oracle.u16(f, 42);
      assertEquals(i * 304, offMore & ~7);
      assertEquals(i < 2 ? 1 : 0, offMore & 1);
      assertEquals(0xcafe, Oracle.u16(f, 44));
      System.arraycopy(f, 48, joined, offMore & ~7, f.length - 48);
    }
    assertArrayEquals(upper, joined);
  }

  @Test
  void fragmentSizeMustBeAMultipleOfEight() {
    assertThrows(IllegalArgumentException.class, () -> Fragments.ipv4(datagram(), 100));
    assertThrows(IllegalArgumentException.class, () -> Fragments.ipv4Overlapping(datagram(), 64, 64, false));
  }
}
