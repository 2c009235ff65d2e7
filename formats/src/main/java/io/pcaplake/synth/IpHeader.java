package io.pcaplake.synth;

import java.net.InetAddress;

/** The fields of an IPv4 or IPv6 header that a synthesized packet chooses. */
public sealed interface IpHeader permits Ipv4Header, Ipv6Header {

  InetAddress src();

  InetAddress dst();

  /** The same header for the opposite direction. */
  IpHeader reversed();

  /** The same header with another identification (IPv4); IPv6 returns itself. */
  IpHeader withId(int id);

  /** An IP packet carrying {@code payload} as {@code protocol}. */
  byte[] wrap(int protocol, byte[] payload);

  /** The header for a pair of addresses of one family, with default TTL/hop limit, DF set on IPv4. */
  static IpHeader between(InetAddress src, InetAddress dst) {
    if (src instanceof java.net.Inet4Address s && dst instanceof java.net.Inet4Address d) {
      return Ipv4Header.of(s, d);
    }
    if (src instanceof java.net.Inet6Address s && dst instanceof java.net.Inet6Address d) {
      return Ipv6Header.of(s, d);
    }
    throw new IllegalArgumentException("address families differ: " + src + " " + dst);
  }
}
