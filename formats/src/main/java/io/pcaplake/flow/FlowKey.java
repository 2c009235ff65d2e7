package io.pcaplake.flow;

import io.pcaplake.packet.IpAddresses;
import io.pcaplake.packet.DecodedPacket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * Canonical connection key: the ordered endpoint pair (A = the smaller endpoint: address bytes compared unsigned,
 * then the port, the rule of {@link io.pcaplake.tcp.TcpSegment#isFromA}), the IP protocol and the outermost VLAN.
 * Both directions of a connection have the same key.
 *
 * <p>{@link #encode()} gives a compact binary form whose unsigned byte order sorts keys (version, protocol, VLAN,
 * A, B); the Spark job can use it as a partition and sort column and {@link #decode} it back.
 *
 * @param ipVersion 4 or 6
 * @param addrA endpoint A's address (4 or 16 bytes)
 * @param portA endpoint A's port (0..65535)
 * @param addrB endpoint B's address
 * @param portB endpoint B's port
 * @param protocol IP protocol number (6 = TCP)
 * @param vlan outermost VLAN id (0..4095), or -1 when untagged
 */
public record FlowKey(int ipVersion, byte[] addrA, int portA, byte[] addrB, int portB, int protocol, int vlan) {
  public static final int TCP = 6;

  /** Validates; the endpoints must already be in canonical order (use the {@code of} factories to order them). */
  public FlowKey {
    int n = ipVersion == 4 ? 4 : ipVersion == 6 ? 16 : -1;
    if (n < 0 || addrA == null || addrB == null || addrA.length != n || addrB.length != n) {
      throw new IllegalArgumentException("ipVersion " + ipVersion + " needs two " + n + "-byte addresses");
    }
    if ((portA & ~0xffff) != 0 || (portB & ~0xffff) != 0 || (protocol & ~0xff) != 0 || vlan < -1 || vlan > 4095) {
      throw new IllegalArgumentException("port, protocol or vlan out of range");
    }
    if (compare(addrA, portA, addrB, portB) > 0) {
      throw new IllegalArgumentException("endpoints not in canonical order (use FlowKey.of)");
    }
    addrA = addrA.clone();
    addrB = addrB.clone();
  }

  /** The key of a decoded packet with ports (TCP/UDP); VLAN = the packet's outermost VLAN or -1. */
  public static FlowKey of(DecodedPacket p) {
    byte[] b = p.buffer();
    int n = p.ipAddressLength();
    byte[] src = Arrays.copyOfRange(b, p.srcIpOffset(), p.srcIpOffset() + n);
    byte[] dst = Arrays.copyOfRange(b, p.dstIpOffset(), p.dstIpOffset() + n);
    return of(p.ipVersion(), src, p.srcPort(), dst, p.dstPort(), p.protocol(), p.vlan());
  }

  /** The key of a packet from (src, srcPort) to (dst, dstPort), in either direction. {@code vlan} < 0: none. */
  public static FlowKey of(int ipVersion, byte[] src, int srcPort, byte[] dst, int dstPort, int protocol, int vlan) {
    int v = vlan < 0 ? -1 : vlan;
    return isFromA(src, srcPort, dst, dstPort)
        ? new FlowKey(ipVersion, src, srcPort, dst, dstPort, protocol, v)
        : new FlowKey(ipVersion, dst, dstPort, src, srcPort, protocol, v);
  }

  /** Same, from address strings (IPv4 dotted or IPv6 literals; no name lookups). Version from the address. */
  public static FlowKey of(String src, int srcPort, String dst, int dstPort, int protocol, int vlan) {
    byte[] s = literal(src);
    byte[] d = literal(dst);
    return of(s.length == 4 ? 4 : 6, s, srcPort, d, dstPort, protocol, vlan);
  }

  /** True when (src, srcPort) is endpoint A: it sorts first (ties on equal endpoints count as A). */
  public static boolean isFromA(byte[] src, int srcPort, byte[] dst, int dstPort) {
    return compare(src, srcPort, dst, dstPort) <= 0;
  }

  /** True when a packet sent from {@code src}:{@code srcPort} travels A to B on this key. */
  public boolean isFromA(byte[] src, int srcPort) {
    return Arrays.equals(src, addrA) && srcPort == portA;
  }

  /** Address bytes of endpoint A (a copy). */
  @Override
  public byte[] addrA() {
    return addrA.clone();
  }

  /** Address bytes of endpoint B (a copy). */
  @Override
  public byte[] addrB() {
    return addrB.clone();
  }

  public String ipA() {
    return IpAddresses.format(addrA);
  }

  public String ipB() {
    return IpAddresses.format(addrB);
  }

  public boolean hasVlan() {
    return vlan >= 0;
  }

  /** The flows table's {@code family}: {@code ipv4} or {@code ipv6}. */
  public String family() {
    return ipVersion == 4 ? "ipv4" : "ipv6";
  }

  /** Bytes of {@link #encode()} for this key's IP version: 16 for IPv4, 40 for IPv6. */
  public int encodedLength() {
    return 8 + 2 * addrA.length;
  }

  /**
   * Compact binary form: {@code [version][protocol][vlan+1: 2 bytes BE][addrA][portA BE][addrB][portB BE]}.
   * Unsigned lexicographic order of encodings is a total order on keys.
   */
  public byte[] encode() {
    int n = addrA.length;
    byte[] out = new byte[encodedLength()];
    out[0] = (byte) ipVersion;
    out[1] = (byte) protocol;
    out[2] = (byte) ((vlan + 1) >>> 8);
    out[3] = (byte) (vlan + 1);
    System.arraycopy(addrA, 0, out, 4, n);
    out[4 + n] = (byte) (portA >>> 8);
    out[5 + n] = (byte) portA;
    System.arraycopy(addrB, 0, out, 6 + n, n);
    out[6 + 2 * n] = (byte) (portB >>> 8);
    out[7 + 2 * n] = (byte) portB;
    return out;
  }

  /** Inverse of {@link #encode()}. */
  public static FlowKey decode(byte[] b) {
    return decode(b, 0, b.length);
  }

  /** Inverse of {@link #encode()}, from {@code len} bytes at {@code off}. */
  public static FlowKey decode(byte[] b, int off, int len) {
    if (len < 1) {
      throw new IllegalArgumentException("empty key");
    }
    int version = b[off];
    int n = version == 4 ? 4 : version == 6 ? 16 : -1;
    if (n < 0 || len != 8 + 2 * n) {
      throw new IllegalArgumentException("not an encoded FlowKey: version " + version + ", " + len + " bytes");
    }
    int protocol = b[off + 1] & 0xff;
    int vlan = ((b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff)) - 1;
    byte[] a = Arrays.copyOfRange(b, off + 4, off + 4 + n);
    int pa = (b[off + 4 + n] & 0xff) << 8 | (b[off + 5 + n] & 0xff);
    byte[] bb = Arrays.copyOfRange(b, off + 6 + n, off + 6 + 2 * n);
    int pb = (b[off + 6 + 2 * n] & 0xff) << 8 | (b[off + 7 + 2 * n] & 0xff);
    return new FlowKey(version, a, pa, bb, pb, protocol, vlan);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlowKey k && k.ipVersion == ipVersion && k.portA == portA && k.portB == portB
        && k.protocol == protocol && k.vlan == vlan && Arrays.equals(k.addrA, addrA) && Arrays.equals(k.addrB, addrB);
  }

  @Override
  public int hashCode() {
    return ((Arrays.hashCode(addrA) * 31 + Arrays.hashCode(addrB)) * 31 + (portA << 16 | portB)) * 31
        + protocol * 4099 + vlan;
  }

  @Override
  public String toString() {
    return "FlowKey[" + ipA() + ":" + portA + " <-> " + ipB() + ":" + portB + " proto " + protocol
        + (vlan >= 0 ? " vlan " + vlan : "") + "]";
  }

  static int compare(byte[] x, int xPort, byte[] y, int yPort) {
    int c = Arrays.compareUnsigned(x, y);
    return c != 0 ? c : Integer.compare(xPort, yPort);
  }

  private static byte[] literal(String ip) {
    if (ip == null || ip.isEmpty() || !(ip.indexOf(':') >= 0 || ip.matches("[0-9.]+"))) {
      throw new IllegalArgumentException("not an IP literal: " + ip);
    }
    try {
      return InetAddress.getByName(ip).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + ip, e);
    }
  }
}
