package io.pcaplake.packet;

import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.UnknownPacket;
import org.pcap4j.packet.factory.PacketFactories;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * For link types {@link LinkLayer} does not decode (PPP, 802.11, radiotap, ...): lets pcap4j find the IP packet inside,
 * and hands its bytes back so that our own IP and transport decoders fill the fields the same way for every link type.
 * Slow (pcap4j builds an object graph and copies), which is acceptable for rare link types only.
 */
final class Pcap4jFallback {
  static final int KIND_UNSUPPORTED = -10;

  /** Raw bytes of the IP packet found by the last {@link #decode} that returned an IP kind. */
  private byte[] ipBytes;

  byte[] ipBytes() {
    return ipBytes;
  }

  /** Returns {@link LinkLayer#KIND_IPV4}, {@link LinkLayer#KIND_IPV6}, {@link LinkLayer#KIND_NOT_IP} or {@link #KIND_UNSUPPORTED}. */
  int decode(byte[] data, int offset, int length, int linkType) {
    ipBytes = null;
    Packet packet;
    try {
      packet = PacketFactories.getFactory(Packet.class, DataLinkType.class)
          .newInstance(data, offset, length, DataLinkType.getInstance(linkType));
    } catch (RuntimeException e) {
      // pcap4j throws on some malformed inputs instead of returning IllegalRawDataPacket; a bad record is data here.
      return LinkLayer.KIND_NOT_IP;
    }
    if (packet == null || packet instanceof UnknownPacket) {
      return KIND_UNSUPPORTED;
    }
    try {
      IpV4Packet v4 = packet.get(IpV4Packet.class);
      if (v4 != null) {
        ipBytes = v4.getRawData();
        return LinkLayer.KIND_IPV4;
      }
      IpV6Packet v6 = packet.get(IpV6Packet.class);
      if (v6 != null) {
        ipBytes = v6.getRawData();
        return LinkLayer.KIND_IPV6;
      }
    } catch (RuntimeException e) {
      return LinkLayer.KIND_NOT_IP;
    }
    return LinkLayer.KIND_NOT_IP;
  }
}
