package io.pcaplake.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recursive-descent parser for the tcpdump subset (grammar in {@code docs/filter.md}). Precedence follows
 * pcap-filter(7): {@code not} binds tightest; {@code and} and {@code or} have equal precedence and associate left to
 * right, so {@code a or b and c} is {@code (a or b) and c}.
 */
final class Parser {
  private enum Kind { WORD, LPAREN, RPAREN, NOT, AND, OR, END }

  private record Token(Kind kind, String text, int pos) { }

  /** Keywords of pcap-filter(7) this subset does not implement: named in the error instead of "bad address". */
  private static final Set<String> UNSUPPORTED = Set.of("ether", "arp", "rarp", "icmp", "icmp6", "igmp", "sctp",
      "proto", "less", "greater", "len", "broadcast", "multicast", "gateway", "mpls", "pppoe", "geneve", "inbound",
      "outbound", "ifname", "on", "link", "fddi", "tr", "wlan", "decnet", "atalk", "aarp", "iso", "stp", "ipx",
      "netbeui", "llc", "ah", "esp", "pim", "vrrp", "carp", "protochain", "ra", "ta", "addr1", "addr2", "addr3",
      "addr4", "type", "subtype", "dir", "action", "reason", "rnr", "rulenum", "ruleset", "srnr", "subrulenum");

  /** Service names accepted for {@code port}; tcpdump reads /etc/services, we use this fixed table. */
  static final Map<String, Integer> SERVICES = Map.ofEntries(
      Map.entry("ftp-data", 20), Map.entry("ftp", 21), Map.entry("ssh", 22), Map.entry("telnet", 23),
      Map.entry("smtp", 25), Map.entry("domain", 53), Map.entry("bootps", 67), Map.entry("bootpc", 68),
      Map.entry("http", 80), Map.entry("pop3", 110), Map.entry("ntp", 123), Map.entry("imap", 143),
      Map.entry("snmp", 161), Map.entry("ldap", 389), Map.entry("https", 443), Map.entry("syslog", 514),
      Map.entry("ldaps", 636), Map.entry("imaps", 993), Map.entry("pop3s", 995), Map.entry("http-alt", 8080));

  private static final Set<String> KEYWORDS = Set.of("src", "dst", "host", "net", "port", "portrange", "mask",
      "tcp", "udp", "ip", "ip6", "vlan");

  /** The qualifiers of the last qualified primitive, for tcpdump's "bare id uses the last keyword" rule. */
  private record Qualifiers(String proto, Dir dir, String type, int pos) { }

  /** Deepest nesting of parentheses and {@code not}: beyond, a syntax error (the parser and matcher recurse). */
  static final int MAX_NESTING = 64;
  /** Most primitives in one expression: an and/or chain is a tree this deep, which the matcher recurses through. */
  static final int MAX_PRIMITIVES = 1024;

  private final String expression;
  private final List<Token> tokens;
  private int next;
  private int nesting;
  private int primitives;
  private Qualifiers last;

  private Parser(String expression) throws FilterSyntaxException {
    this.expression = expression;
    this.tokens = lex(expression);
  }

  static Node parse(String expression) throws FilterSyntaxException {
    Parser p = new Parser(expression);
    if (p.peek().kind == Kind.END) {
      return new Node.All();
    }
    Node n = p.expr();
    Token t = p.peek();
    if (t.kind != Kind.END) {
      throw p.error(t.kind == Kind.RPAREN ? "unbalanced ')'" : "expected 'and' or 'or' before '" + t.text + "'", t);
    }
    return n;
  }

  // ---- lexer ----

  private static boolean wordChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
        || c == '.' || c == ':' || c == '/' || c == '-' || c == '_';
  }

  private static List<Token> lex(String s) throws FilterSyntaxException {
    List<Token> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(') {
        out.add(new Token(Kind.LPAREN, "(", i++));
      } else if (c == ')') {
        out.add(new Token(Kind.RPAREN, ")", i++));
      } else if (c == '!') {
        out.add(new Token(Kind.NOT, "!", i++));
      } else if (s.startsWith("&&", i)) {
        out.add(new Token(Kind.AND, "&&", i));
        i += 2;
      } else if (s.startsWith("||", i)) {
        out.add(new Token(Kind.OR, "||", i));
        i += 2;
      } else if (wordChar(c)) {
        int start = i;
        while (i < s.length() && wordChar(s.charAt(i))) {
          i++;
        }
        String w = s.substring(start, i);
        Kind k = switch (w) {
          case "and" -> Kind.AND;
          case "or" -> Kind.OR;
          case "not" -> Kind.NOT;
          default -> Kind.WORD;
        };
        out.add(new Token(k, w, start));
      } else {
        throw new FilterSyntaxException("unexpected character '" + c + "'", s, i);
      }
    }
    out.add(new Token(Kind.END, "", s.length()));
    return out;
  }

  // ---- grammar ----

  private Token peek() {
    return tokens.get(next);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(next + ahead, tokens.size() - 1));
  }

  private Token take() {
    Token t = tokens.get(next);
    if (t.kind != Kind.END) {
      next++;
    }
    return t;
  }

  private FilterSyntaxException error(String reason, Token at) {
    return new FilterSyntaxException(reason, expression, at.pos);
  }

  private static String describe(Token t) {
    return t.kind == Kind.END ? "end of expression" : "'" + t.text + "'";
  }

  /** expr := unary (('and' | 'or') unary)*, left-associative, equal precedence. */
  private Node expr() throws FilterSyntaxException {
    Node left = unary();
    while (peek().kind == Kind.AND || peek().kind == Kind.OR) {
      boolean and = take().kind == Kind.AND;
      Node right = unary();
      left = and ? new Node.And(left, right) : new Node.Or(left, right);
    }
    return left;
  }

  /** unary := ('not' | '!') unary | '(' expr ')' | primitive. */
  private Node unary() throws FilterSyntaxException {
    Token t = peek();
    if ((t.kind == Kind.NOT || t.kind == Kind.LPAREN) && nesting == MAX_NESTING) {
      throw error("nested deeper than " + MAX_NESTING + " levels of '(' and 'not'", t);
    }
    switch (t.kind) {
      case NOT -> {
        take();
        nesting++;
        Node inner = unary();
        nesting--;
        return new Node.Not(inner);
      }
      case LPAREN -> {
        take();
        nesting++;
        Node inner = expr();
        nesting--;
        Token close = peek();
        if (close.kind != Kind.RPAREN) {
          throw error("expected ')' to close the '(' at column " + (t.pos + 1) + ", got " + describe(close), close);
        }
        take();
        return inner;
      }
      case WORD -> {
        if (++primitives > MAX_PRIMITIVES) {
          throw error("more than " + MAX_PRIMITIVES + " primitives in one expression", t);
        }
        return primitive();
      }
      default -> throw error("expected a primitive (host, net, port, portrange, tcp, udp, ip, ip6, vlan), got "
          + describe(t), t);
    }
  }

  /** primitive := 'vlan' [N] | [proto] [dir] [type] id | proto | id (with the last qualifiers). */
  private Node primitive() throws FilterSyntaxException {
    Token first = peek();
    String w = first.text;
    if (UNSUPPORTED.contains(w)) {
      throw error("'" + w + "' is not supported by pcaplake's filter (supported: host, net, port, portrange, src, "
          + "dst, tcp, udp, ip, ip6, vlan, and, or, not)", first);
    }
    if (w.equals("vlan")) {
      take();
      Token id = peek();
      if (id.kind == Kind.WORD && isNumber(id.text)) {
        take();
        int v = number(id, 4095, "VLAN id");
        return new Node.Vlan(v);
      }
      return new Node.Vlan(-1);
    }
    String proto = null;
    if (w.equals("tcp") || w.equals("udp") || w.equals("ip") || w.equals("ip6")) {
      proto = w;
      take();
    }
    Dir dir = null;
    if (peek().kind == Kind.WORD && (peek().text.equals("src") || peek().text.equals("dst"))) {
      String d = take().text;
      dir = d.equals("src") ? Dir.SRC : Dir.DST;
      Token op = peek();
      String other = d.equals("src") ? "dst" : "src";
      if ((op.kind == Kind.OR || op.kind == Kind.AND) && peek(1).kind == Kind.WORD && peek(1).text.equals(other)) {
        take();
        take();
        dir = op.kind == Kind.OR ? Dir.EITHER : Dir.BOTH;
      }
    }
    String type = null;
    if (peek().kind == Kind.WORD && Set.of("host", "net", "port", "portrange").contains(peek().text)) {
      type = take().text;
    }
    if (proto != null && dir == null && type == null) {
      return protocol(proto);
    }
    if (proto == null && dir == null && type == null) {
      // A bare id: tcpdump applies the qualifiers of the last qualified primitive ("host a or b").
      Qualifiers q = last;
      if (KEYWORDS.contains(w)) {
        throw error("'" + w + "' needs a value here", first);
      }
      return id(q == null ? null : q.proto, q == null ? Dir.EITHER : q.dir, q == null ? null : q.type, first);
    }
    Token id = peek();
    if (id.kind != Kind.WORD || KEYWORDS.contains(id.text)) {
      String what = "after '" + tokens.get(next - 1).text + "'";
      throw error("expected " + (type == null ? "an address" : type.equals("port") ? "a port"
          : type.equals("portrange") ? "a port range N-M" : type.equals("net") ? "a network" : "an address") + " "
          + what + ", got " + describe(id), id);
    }
    Dir d = dir == null ? Dir.EITHER : dir;
    last = new Qualifiers(proto, d, type, first.pos);
    return id(proto, d, type, id);
  }

  private Node protocol(String proto) {
    return switch (proto) {
      case "tcp" -> new Node.Protocol(0, Node.PROTO_TCP, "tcp");
      case "udp" -> new Node.Protocol(0, Node.PROTO_UDP, "udp");
      case "ip" -> new Node.Protocol(4, -1, "ip");
      default -> new Node.Protocol(6, -1, "ip6");
    };
  }

  /** The id of a primitive with its qualifiers; {@code type} null means tcpdump's default (host, or net for CIDR). */
  private Node id(String proto, Dir dir, String type, Token idToken) throws FilterSyntaxException {
    take();
    String id = idToken.text;
    if (type == null) {
      type = id.indexOf('/') >= 0 ? "net" : "host";
      if (isNumber(id) && Addresses.ipv4(id) == null) {
        throw error("'" + id + "' is not an address (did you mean 'port " + id + "'?)", idToken);
      }
    }
    boolean transport = "tcp".equals(proto) || "udp".equals(proto);
    if (type.equals("port") || type.equals("portrange")) {
      if (proto != null && !transport) {
        throw error("'" + proto + "' cannot qualify '" + type + "' (use tcp or udp)", idToken);
      }
      int p = proto == null ? -1 : proto.equals("tcp") ? Node.PROTO_TCP : Node.PROTO_UDP;
      if (type.equals("port")) {
        int port = port(idToken);
        return new Node.Port(dir, p, port, port);
      }
      int dash = id.indexOf('-');
      if (dash <= 0 || !isNumber(id.substring(0, dash)) || !isNumber(id.substring(dash + 1))) {
        throw error("expected a port range N-M, got '" + id + "'", idToken);
      }
      int a = number(id.substring(0, dash), 0xffff, "port", idToken);
      int b = number(id.substring(dash + 1), 0xffff, "port", idToken);
      // libpcap accepts a reversed range and swaps it.
      return new Node.Port(dir, p, Math.min(a, b), Math.max(a, b));
    }
    if (transport) {
      throw error("'" + proto + "' cannot qualify '" + type + "' (write '" + proto + " and " + type + " " + id
          + "')", idToken);
    }
    Node.Address a = type.equals("host") ? host(id, idToken) : net(id, idToken);
    if (("ip".equals(proto) && a.version() != 4) || ("ip6".equals(proto) && a.version() != 6)) {
      throw error("'" + proto + "' cannot qualify the IPv" + a.version() + " " + type + " '" + id + "'", idToken);
    }
    return new Node.Address(dir, a.version(), a.value(), a.mask(), a.text());
  }

  private Node.Address host(String id, Token at) throws FilterSyntaxException {
    if (id.indexOf('/') >= 0) {
      throw error("'host' takes an address, not a network (use 'net " + id + "')", at);
    }
    byte[] v4 = Addresses.ipv4(id);
    if (v4 != null) {
      return new Node.Address(Dir.EITHER, 4, v4, Addresses.prefixMask(32, 4), "host " + Addresses.format(v4));
    }
    byte[] v6 = Addresses.ipv6(id);
    if (v6 != null) {
      return new Node.Address(Dir.EITHER, 6, v6, Addresses.prefixMask(128, 16), "host " + Addresses.format(v6));
    }
    throw error("'" + id + "' is not an IPv4 or IPv6 address (host names are not resolved)", at);
  }

  private Node.Address net(String id, Token at) throws FilterSyntaxException {
    String addr = id;
    int bits = -1;
    int slash = id.indexOf('/');
    if (slash >= 0) {
      addr = id.substring(0, slash);
      String len = id.substring(slash + 1);
      if (!isNumber(len)) {
        throw error("bad prefix length in '" + id + "'", at);
      }
      bits = number(len, addr.indexOf(':') >= 0 ? 128 : 32, "prefix length", at);
    }
    byte[] value;
    byte[] mask;
    int version;
    if (addr.indexOf(':') >= 0) {
      value = Addresses.ipv6(addr);
      version = 6;
      if (value == null) {
        throw error("'" + addr + "' is not an IPv6 address", at);
      }
      mask = Addresses.prefixMask(bits < 0 ? 128 : bits, 16);
    } else {
      value = Addresses.ipv4Parts(addr);
      version = 4;
      if (value == null) {
        throw error("'" + addr + "' is not an IPv4 network (host names are not resolved)", at);
      }
      // tcpdump: "net 10" is 10.0.0.0/8, "net 172.16" is /16, "net 192.168.1" is /24.
      int parts = Addresses.partCount(addr);
      if (peek().kind == Kind.WORD && peek().text.equals("mask")) {
        if (bits >= 0) {
          throw error("'mask' after a prefix length", peek());
        }
        take();
        Token m = peek();
        if (m.kind != Kind.WORD || Addresses.ipv4(m.text) == null) {
          throw error("expected an IPv4 mask after 'mask', got " + describe(m), m);
        }
        take();
        mask = Addresses.ipv4(m.text);
        checkNetworkBits(value, mask, id + " mask " + m.text, at);
        return new Node.Address(Dir.EITHER, 4, value, mask, "net " + Addresses.format(value) + " mask " + m.text);
      }
      mask = Addresses.prefixMask(bits >= 0 ? bits : 8 * parts, 4);
      bits = bits >= 0 ? bits : 8 * parts;
    }
    if (peek().kind == Kind.WORD && peek().text.equals("mask")) {
      throw error("'mask' works for IPv4 networks without a prefix length only", peek());
    }
    checkNetworkBits(value, mask, id, at);
    int len = bits < 0 ? 128 : bits;
    return new Node.Address(Dir.EITHER, version, value, mask, "net " + Addresses.format(value) + "/" + len);
  }

  private void checkNetworkBits(byte[] value, byte[] mask, String text, Token at) throws FilterSyntaxException {
    for (int i = 0; i < value.length; i++) {
      if ((value[i] & ~mask[i]) != 0) {
        // libpcap refuses this too ("non-network bits set in ...").
        throw error("non-network bits set in '" + text + "'", at);
      }
    }
  }

  private int port(Token t) throws FilterSyntaxException {
    Integer named = SERVICES.get(t.text);
    if (named != null) {
      return named;
    }
    if (!isNumber(t.text)) {
      throw error("expected a port number or service name, got '" + t.text + "'", t);
    }
    return number(t, 0xffff, "port");
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private int number(Token t, int max, String what) throws FilterSyntaxException {
    return number(t.text, max, what, t);
  }

  private int number(String s, int max, String what, Token at) throws FilterSyntaxException {
    long v = s.length() > 9 ? Long.MAX_VALUE : Long.parseLong(s);
    if (v > max) {
      throw error(what + " " + s + " is out of range 0-" + max, at);
    }
    return (int) v;
  }
}
