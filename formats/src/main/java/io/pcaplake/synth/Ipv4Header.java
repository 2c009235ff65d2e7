package io.pcaplake.synth;

import java.net.Inet4Address;

/**
 * IPv4 header choices. The checksum and lengths are computed when the packet is built.
 *
 * @param options raw option bytes (a multiple of 4, at most 40), empty for none
 */
public record Ipv4Header(Inet4Address src, Inet4Address dst, int ttl, int id, boolean dontFragment, byte[] options)
    implements IpHeader {
  public static final int DEFAULT_TTL = 64;
  static final int MAX_OPTIONS = 40;

  public Ipv4Header {
    if (ttl < 0 || ttl > 255) {
      throw new IllegalArgumentException("ttl " + ttl);
    }
    options = options == null ? new byte[0] : options.clone();
    if (options.length % 4 != 0 || options.length > MAX_OPTIONS) {
      throw new IllegalArgumentException("options length " + options.length + " not a multiple of 4 up to 40");
    }
    id &= 0xffff;
  }

  public static Ipv4Header of(Inet4Address src, Inet4Address dst) {
    return new Ipv4Header(src, dst, DEFAULT_TTL, 0, true, new byte[0]);
  }

  @Override
  public byte[] options() {
    return options.clone();
  }

  @Override
  public Ipv4Header reversed() {
    return new Ipv4Header(dst, src, ttl, id, dontFragment, options);
  }

  @Override
  public Ipv4Header withId(int newId) {
    return new Ipv4Header(src, dst, ttl, newId, dontFragment, options);
  }

  public Ipv4Header withTtl(int newTtl) {
    return new Ipv4Header(src, dst, newTtl, id, dontFragment, options);
  }

  public Ipv4Header withOptions(byte[] newOptions, boolean df) {
    return new Ipv4Header(src, dst, ttl, id, df, newOptions);
  }

  @Override
  public byte[] wrap(int protocol, byte[] payload) {
    return Frames.ipv4(this, protocol, payload);
  }

  int optionsLength() {
    return options.length;
  }

  byte[] optionsRaw() {
    return options;
  }
}
