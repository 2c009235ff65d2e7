package io.pcaplake.synth;

import java.net.Inet6Address;

/**
 * IPv6 header choices.
 *
 * @param destinationOptions whether to put an 8-byte Destination Options extension header (PadN only) before the
 *     upper-layer header, so a decoder must walk the extension chain
 */
public record Ipv6Header(Inet6Address src, Inet6Address dst, int hopLimit, int flowLabel, boolean destinationOptions)
    implements IpHeader {
  public static final int DEFAULT_HOP_LIMIT = 64;

  public Ipv6Header {
    if (hopLimit < 0 || hopLimit > 255) {
      throw new IllegalArgumentException("hopLimit " + hopLimit);
    }
    if (flowLabel < 0 || flowLabel > 0xfffff) {
      throw new IllegalArgumentException("flowLabel " + flowLabel);
    }
  }

  public static Ipv6Header of(Inet6Address src, Inet6Address dst) {
    return new Ipv6Header(src, dst, DEFAULT_HOP_LIMIT, 0, false);
  }

  @Override
  public Ipv6Header reversed() {
    return new Ipv6Header(dst, src, hopLimit, flowLabel, destinationOptions);
  }

  @Override
  public Ipv6Header withId(int id) {
    return this;
  }

  public Ipv6Header withDestinationOptions(boolean on) {
    return new Ipv6Header(src, dst, hopLimit, flowLabel, on);
  }

  @Override
  public byte[] wrap(int protocol, byte[] payload) {
    return Frames.ipv6(this, protocol, payload);
  }
}
