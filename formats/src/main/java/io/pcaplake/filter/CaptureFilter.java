package io.pcaplake.filter;

import io.pcaplake.packet.DecodedPacket;
import java.io.Serializable;

/**
 * A compiled capture filter: the tcpdump/pcap-filter(7) subset described in {@code docs/filter.md}
 * ({@code host}, {@code net}, {@code port}, {@code portrange} with {@code src}/{@code dst} qualifiers; {@code tcp},
 * {@code udp}, {@code ip}, {@code ip6}, {@code vlan}; {@code and}, {@code or}, {@code not}, parentheses).
 *
 * <p>Immutable, thread-safe and serializable: compile once on the driver, ship to executors. Evaluation allocates
 * nothing and compares address bytes in place in the packet's buffer.
 *
 * <p>Two semantics:
 * <ul>
 *   <li>{@link #matches(DecodedPacket)}: tcpdump's, per packet as captured (no table uses it: the {@code packets}
 *       table keeps the rows of whole connections too, {@code docs/filter.md});</li>
 *   <li>{@link #matchesEitherDirection(DecodedPacket)} / {@link #matchesConnection}: per connection. A connection
 *       matches when the expression matches a packet in either direction of it, so {@code dst port 8000} keeps the
 *       responses sent from port 8000 too. Both directions of a connection get the same verdict from
 *       {@code matchesEitherDirection}, so filtering packets with it keeps or drops whole connections.</li>
 * </ul>
 */
public final class CaptureFilter implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final CaptureFilter ALL = new CaptureFilter("", new Node.All());

  private final String expression;
  private final Node root;

  private CaptureFilter(String expression, Node root) {
    this.expression = expression;
    this.root = root;
  }

  /**
   * Compiles a tcpdump-syntax expression. A blank expression matches everything (as tcpdump without a filter).
   *
   * @throws FilterSyntaxException with the position of the first problem
   */
  public static CaptureFilter parse(String expression) throws FilterSyntaxException {
    if (expression == null) {
      throw new IllegalArgumentException("expression is null");
    }
    return new CaptureFilter(expression, Parser.parse(expression));
  }

  /** The filter that matches every packet and connection. */
  public static CaptureFilter all() {
    return ALL;
  }

  /** True when this filter matches everything (a blank expression): callers may skip evaluating it. */
  public boolean matchesAll() {
    return root instanceof Node.All;
  }

  /** The expression as given. */
  public String expression() {
    return expression;
  }

  /** Packet semantics: the expression evaluated on the packet as captured, as tcpdump would. */
  public boolean matches(DecodedPacket p) {
    return eval(p, false);
  }

  /**
   * Connection semantics for one packet: the expression matches the packet as captured, or the packet with source
   * and destination (addresses and ports) exchanged. The two packets of a request/response pair get the same
   * answer, so whole connections are kept or dropped.
   */
  public boolean matchesEitherDirection(DecodedPacket p) {
    return eval(p, false) || eval(p, true);
  }

  /**
   * Connection semantics for a connection key: the expression matches a packet going A to B or one going B to A.
   * The same answer as {@link #matchesEitherDirection} for every packet of the connection.
   *
   * @param addressA endpoint A's address: 4 bytes (IPv4) or 16 (IPv6); not retained
   * @param portA endpoint A's port, or -1 for protocols without ports
   * @param addressB endpoint B's address, of the same length as {@code addressA}
   * @param portB endpoint B's port, or -1
   * @param protocol IP protocol (6 TCP, 17 UDP, ...)
   * @param vlan outermost VLAN id, or -1 when untagged
   */
  public boolean matchesConnection(byte[] addressA, int portA, byte[] addressB, int portB, int protocol, int vlan) {
    if (addressA.length != addressB.length || (addressA.length != 4 && addressA.length != 16)) {
      throw new IllegalArgumentException("addresses of " + addressA.length + " and " + addressB.length + " bytes");
    }
    int version = addressA.length == 4 ? 4 : 6;
    return root.eval(version, addressA, 0, addressB, 0, portA, portB, protocol, vlan)
        || root.eval(version, addressB, 0, addressA, 0, portB, portA, protocol, vlan);
  }

  /** Evaluates with source and destination exchanged when {@code swapped}: nothing is copied. */
  private boolean eval(DecodedPacket p, boolean swapped) {
    int version = p.ipVersion();
    if (version != 4 && version != 6) {
      version = 0;
    }
    byte[] buf = p.buffer();
    int s = p.srcIpOffset();
    int d = p.dstIpOffset();
    if (version != 0 && (s < 0 || d < 0)) {
      version = 0;
    }
    if (swapped) {
      return root.eval(version, buf, d, buf, s, p.dstPort(), p.srcPort(), p.protocol(), p.vlan());
    }
    return root.eval(version, buf, s, buf, d, p.srcPort(), p.dstPort(), p.protocol(), p.vlan());
  }

  /**
   * The parsed expression in canonical, fully parenthesized form (shows how precedence grouped it). When that form
   * would nest deeper than the parser accepts ({@value Parser#MAX_NESTING} levels: a long {@code or} chain gets one
   * level per operator), the form with only the parentheses the grouping needs, which nests no deeper than the text
   * it was parsed from. Either way {@code parse(f.toString())} gives the same filter.
   */
  @Override
  public String toString() {
    return depth(root) <= Parser.MAX_NESTING ? root.toString() : minimal(root);
  }

  /** Levels of '(' and 'not' the fully parenthesized form opens on its deepest path. */
  private static int depth(Node n) {
    if (n instanceof Node.And a) {
      return 1 + Math.max(depth(a.left()), depth(a.right()));
    } else if (n instanceof Node.Or o) {
      return 1 + Math.max(depth(o.left()), depth(o.right()));
    } else if (n instanceof Node.Not x) {
      return 1 + depth(x.inner());
    }
    return 0;
  }

  /** Left-associative, equal precedence: a binary left operand needs no parentheses, a binary right one does. */
  private static String minimal(Node n) {
    if (n instanceof Node.And a) {
      return minimal(a.left()) + " and " + operand(a.right());
    } else if (n instanceof Node.Or o) {
      return minimal(o.left()) + " or " + operand(o.right());
    } else if (n instanceof Node.Not x) {
      return "not " + operand(x.inner());
    }
    return n.toString();
  }

  private static String operand(Node n) {
    return n instanceof Node.And || n instanceof Node.Or ? "(" + minimal(n) + ")" : minimal(n);
  }
}
