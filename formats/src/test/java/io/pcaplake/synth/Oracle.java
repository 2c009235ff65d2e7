package io.pcaplake.synth;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.capture.ArrayByteSource;
import io.pcaplake.capture.ByteSource;
import io.pcaplake.capture.CaptureReader;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.FileByteSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.TcpPacket;

/**
 * Decoding for tests: capture files by the real reader ({@link Captures}), link headers stripped by hand from the
 * LINKTYPE specs, IP and TCP by pcap4j.
 */
final class Oracle {
  private Oracle() { }

  /** Every record of a capture, as packets; any problem the reader reports (trailing bytes, bad block) fails. */
  static List<SynthPacket> read(ByteSource source) {
    List<SynthPacket> out = new ArrayList<>();
    try (CaptureReader r = Captures.open(source, (reason, offset, detail) -> {
      throw new AssertionError(source.name() + ": " + reason + " at " + offset + ": " + detail);
    })) {
      while (r.next()) {
        byte[] f = Arrays.copyOfRange(r.data(), r.dataOffset(), r.dataOffset() + r.caplen());
        out.add(new SynthPacket(r.timestampNanos(), r.linkType(), f, r.origlen()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static List<SynthPacket> read(byte[] file) {
    return read(new ArrayByteSource("synth", file));
  }

  static List<SynthPacket> read(Path file) {
    return read(new FileByteSource(file));
  }

  /** The IP packet bytes inside a frame of the given link type. */
  static byte[] ipBytes(int linkType, byte[] f) {
    int off = switch (linkType) {
      case 1 -> {
        int p = 12;
        while (u16(f, p) == 0x8100 || u16(f, p) == 0x88a8) {
          p += 4;
        }
        yield p + 2;
      }
      case 113 -> 16;
      case 276 -> 20;
      case 0, 108 -> 4;
      case 101, 228, 229 -> 0;
      default -> throw new AssertionError("link type " + linkType);
    };
    return Arrays.copyOfRange(f, off, f.length);
  }

  static IpPacket ip(int linkType, byte[] frame) {
    byte[] b = ipBytes(linkType, frame);
    try {
      return (b[0] >>> 4 & 0xf) == 4 ? IpV4Packet.newPacket(b, 0, b.length) : IpV6Packet.newPacket(b, 0, b.length);
    } catch (IllegalRawDataException e) {
      throw new AssertionError(e);
    }
  }

  static IpPacket ip(SynthPacket p) {
    return ip(p.linkType(), p.frame());
  }

  /** The TCP segment of a packet, after asserting the IPv4 header and TCP checksums are valid. */
  static TcpPacket checkedTcp(SynthPacket p) {
    IpPacket ip = ip(p);
    if (ip instanceof IpV4Packet v4) {
      assertTrue(v4.getHeader().hasValidChecksum(false), "IPv4 header checksum");
    }
    TcpPacket tcp = ip.get(TcpPacket.class);
    InetAddress src = ip.getHeader().getSrcAddr();
    InetAddress dst = ip.getHeader().getDstAddr();
    assertTrue(tcp.hasValidChecksum(src, dst, false), "TCP checksum");
    return tcp;
  }

  static int u16(byte[] b, int off) {
    return (b[off] & 0xff) << 8 | (b[off + 1] & 0xff);
  }

  static InetAddress addr(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
