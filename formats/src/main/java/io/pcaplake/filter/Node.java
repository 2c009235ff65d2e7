package io.pcaplake.filter;

import java.io.Serializable;

/**
 * A compiled filter expression: an immutable tree evaluated over one packet's fields, passed as primitives so that
 * evaluating allocates nothing. Swapping the direction is the caller's job (it passes src as dst and dst as src).
 */
sealed interface Node extends Serializable {
  int PROTO_TCP = 6;
  int PROTO_UDP = 17;

  /**
   * @param version 4, 6, or 0 without IP
   * @param srcBuf bytes holding the source address at {@code srcOff} (4 or 16 bytes by {@code version})
   * @param dstBuf bytes holding the destination address at {@code dstOff}
   * @param srcPort TCP/UDP source port, or -1
   * @param dstPort TCP/UDP destination port, or -1
   * @param protocol IP protocol, or -1
   * @param vlan outermost VLAN id, or -1 when untagged
   */
  boolean eval(int version, byte[] srcBuf, int srcOff, byte[] dstBuf, int dstOff, int srcPort, int dstPort,
               int protocol, int vlan);

  /** Matches everything: the empty expression. */
  record All() implements Node {
    @Override
    public boolean eval(int version, byte[] srcBuf, int srcOff, byte[] dstBuf, int dstOff, int srcPort, int dstPort,
                        int protocol, int vlan) {
      return true;
    }

    @Override
    public String toString() {
      return "";
    }
  }

  record And(Node left, Node right) implements Node {
    @Override
    public boolean eval(int version, byte[] srcBuf, int srcOff, byte[] dstBuf, int dstOff, int srcPort, int dstPort,
                        int protocol, int vlan) {
      return left.eval(version, srcBuf, srcOff, dstBuf, dstOff, srcPort, dstPort, protocol, vlan)
          && right.eval(version, srcBuf, srcOff, dstBuf, dstOff, srcPort, dstPort, protocol, vlan);
    }

    @Override
    public String toString() {
      return "(" + left + " and " + right + ")";
    }
  }

  record Or(Node left, Node right) implements Node {
    @Override
    public boolean eval(int version, byte[] srcBuf, int srcOff, byte[] dstBuf, int dstOff, int srcPort, int dstPort,
                        int protocol, int vlan) {
      return left.eval(version, srcBuf, srcOff, dstBuf, dstOff, srcPort, dstPort, protocol, vlan)
          || right.eval(version, srcBuf, srcOff, dstBuf, dstOff, srcPort, dstPort, protocol, vlan);
    }

    @Override
    public String toString() {
      return "(" + left + " or " + right + ")";
    }
  }

  record Not(Node inner) implements Node {
    @Override
    public boolean eval(int version, byte[] srcBuf, int srcOff, byte[] dstBuf, int dstOff, int srcPort, int dstPort,
                        int protocol, int vlan) {
      return !inner.eval(version, srcBuf, srcOff, dstBuf, dstOff, srcPort, dstPort, protocol, vlan);
    }

    @Override
    public String toString() {
      return "not " + inner;
    }
  }

  /**
   * {@code host} and {@code net}: the masked address equals {@code value} (already masked). A host has an all-ones
   * mask. Only packets of the address's IP version match.
   *
   * @param text the primitive as printed, e.g. {@code host 10.0.0.1} or {@code net 10.0.0.0/8}
   */
  record Address(Dir dir, int version, byte[] value, byte[] mask, String text) implements Node {
    public Address {
      if (value.length != mask.length || value.length != (version == 4 ? 4 : 16)) {
        throw new IllegalArgumentException("address of " + value.length + " bytes for IPv" + version);
      }
      value = value.clone();
      mask = mask.clone();
      for (int i = 0; i < value.length; i++) {
        if ((value[i] & ~mask[i]) != 0) {
          throw new IllegalArgumentException("non-network bits set in " + text);
        }
      }
    }

    @Override
    public boolean eval(int ipVersion, byte[] srcBuf, int srcOff, byte[] dstBuf, int dstOff, int srcPort,
                        int dstPort, int protocol, int vlan) {
      if (ipVersion != version) {
        return false;
      }
      return switch (dir) {
        case SRC -> same(srcBuf, srcOff);
        case DST -> same(dstBuf, dstOff);
        case EITHER -> same(srcBuf, srcOff) || same(dstBuf, dstOff);
        case BOTH -> same(srcBuf, srcOff) && same(dstBuf, dstOff);
      };
    }

    private boolean same(byte[] buf, int off) {
      byte[] v = value;
      byte[] m = mask;
      for (int i = 0; i < v.length; i++) {
        if ((buf[off + i] & m[i]) != v[i]) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return dir.text + text;
    }
  }

  /**
   * {@code port} and {@code portrange}: TCP or UDP ports in {@code [low, high]}.
   *
   * @param protocol 6 or 17 for {@code tcp port}/{@code udp port}, -1 for either
   */
  record Port(Dir dir, int protocol, int low, int high) implements Node {
    public Port {
      if (low < 0 || high > 0xffff || low > high) {
        throw new IllegalArgumentException("port range " + low + "-" + high);
      }
    }

    @Override
    public boolean eval(int version, byte[] srcBuf, int srcOff, byte[] dstBuf, int dstOff, int srcPort, int dstPort,
                        int ipProtocol, int vlan) {
      if (srcPort < 0 || dstPort < 0 || (ipProtocol != PROTO_TCP && ipProtocol != PROTO_UDP)
          || (protocol >= 0 && ipProtocol != protocol)) {
        return false;
      }
      return switch (dir) {
        case SRC -> in(srcPort);
        case DST -> in(dstPort);
        case EITHER -> in(srcPort) || in(dstPort);
        case BOTH -> in(srcPort) && in(dstPort);
      };
    }

    private boolean in(int port) {
      return port >= low && port <= high;
    }

    @Override
    public String toString() {
      String proto = protocol == PROTO_TCP ? "tcp " : protocol == PROTO_UDP ? "udp " : "";
      return proto + dir.text + (low == high ? "port " + low : "portrange " + low + "-" + high);
    }
  }

  /** {@code ip}, {@code ip6}: the IP version; {@code tcp}, {@code udp}: the IP protocol (over IPv4 or IPv6). */
  record Protocol(int version, int protocol, String text) implements Node {
    @Override
    public boolean eval(int ipVersion, byte[] srcBuf, int srcOff, byte[] dstBuf, int dstOff, int srcPort,
                        int dstPort, int ipProtocol, int vlan) {
      return version > 0 ? ipVersion == version : ipVersion != 0 && ipProtocol == protocol;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** {@code vlan}: any VLAN tag; {@code vlan N}: the outermost VLAN id is N. */
  record Vlan(int id) implements Node {
    @Override
    public boolean eval(int version, byte[] srcBuf, int srcOff, byte[] dstBuf, int dstOff, int srcPort, int dstPort,
                        int protocol, int vlan) {
      return id < 0 ? vlan >= 0 : vlan == id;
    }

    @Override
    public String toString() {
      return id < 0 ? "vlan" : "vlan " + id;
    }
  }
}
