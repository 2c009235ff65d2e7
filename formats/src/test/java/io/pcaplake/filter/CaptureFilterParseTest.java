package io.pcaplake.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The grammar: every primitive and qualifier, precedence, addresses, and error positions. */
class CaptureFilterParseTest {

  static String canonical(String expression) throws FilterSyntaxException {
    return CaptureFilter.parse(expression).toString();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "host 10.0.0.1                   | host 10.0.0.1",
      "src host 10.0.0.1               | src host 10.0.0.1",
      "dst host 10.0.0.1               | dst host 10.0.0.1",
      "src or dst host 10.0.0.1        | host 10.0.0.1",
      "dst or src host 10.0.0.1        | host 10.0.0.1",
      "src and dst host 10.0.0.1       | src and dst host 10.0.0.1",
      "ip host 10.0.0.1                | host 10.0.0.1",
      "ip src host 10.0.0.1            | src host 10.0.0.1",
      "net 10.0.0.0/8                  | net 10.0.0.0/8",
      "src net 10.0.0.0/8              | src net 10.0.0.0/8",
      "net 10                          | net 10.0.0.0/8",
      "net 172.16                      | net 172.16.0.0/16",
      "net 192.168.1                   | net 192.168.1.0/24",
      "net 192.168.1.1                 | net 192.168.1.1/32",
      "net 10/8                        | net 10.0.0.0/8",
      "net 0.0.0.0/0                   | net 0.0.0.0/0",
      "net 192.168.1.0 mask 255.255.255.0 | net 192.168.1.0 mask 255.255.255.0",
      "dst net 192.168.0.0 mask 255.255.0.0 | dst net 192.168.0.0 mask 255.255.0.0",
      "port 80                         | port 80",
      "src port 80                     | src port 80",
      "dst port 8000                   | dst port 8000",
      "src and dst port 53             | src and dst port 53",
      "port 0                          | port 0",
      "port 65535                      | port 65535",
      "port http                       | port 80",
      "udp dst port domain             | udp dst port 53",
      "tcp port 443                    | tcp port 443",
      "tcp src port 443                | tcp src port 443",
      "portrange 8000-8080             | portrange 8000-8080",
      "dst portrange 1-1023            | dst portrange 1-1023",
      "portrange 90-80                 | portrange 80-90",
      "portrange 80-80                 | port 80",
      "udp portrange 5000-6000         | udp portrange 5000-6000",
      "tcp                             | tcp",
      "udp                             | udp",
      "ip                              | ip",
      "ip6                             | ip6",
      "vlan                            | vlan",
      "vlan 100                        | vlan 100",
      "vlan 0                          | vlan 0",
      "10.0.0.1                        | host 10.0.0.1",
      "dst 10.0.0.1                    | dst host 10.0.0.1",
      "dst 10.0.0.0/8                  | dst net 10.0.0.0/8",
      "src 2001:db8::1                 | src host 2001:db8::1",
      // IPv6 forms
      "host 2001:db8::1                | host 2001:db8::1",
      "host 2001:DB8:0:0:0:0:0:1       | host 2001:db8::1",
      "host ::1                        | host ::1",
      "host ::                         | host ::",
      "host 1::                        | host 1::",
      "host 2001:db8:0:1:0:0:0:1       | host 2001:db8:0:1::1",
      "host ::ffff:10.0.0.1            | host ::ffff:10.0.0.1",
      "ip6 host fe80::1                | host fe80::1",
      "net 2001:db8::/32               | net 2001:db8::/32",
      "net fe80::/10                   | net fe80::/10",
      "net ::/0                        | net ::/0",
      "net 2001:db8::1                 | net 2001:db8::1/128",
      "ip6 dst net 2001:db8:1::/48     | dst net 2001:db8:1::/48",
  })
  void primitives(String expression, String expected) throws FilterSyntaxException {
    assertEquals(expected, canonical(expression));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = "=>", value = {
      // pcap-filter(7): 'and' and 'or' have equal precedence, left-associative; 'not' binds tightest.
      "host 10.0.0.1 or host 10.0.0.2 and tcp => ((host 10.0.0.1 or host 10.0.0.2) and tcp)",
      "tcp and port 80 or udp => ((tcp and port 80) or udp)",
      "tcp or udp and port 53 => ((tcp or udp) and port 53)",
      "tcp and udp and ip => ((tcp and udp) and ip)",
      "not tcp and udp => (not tcp and udp)",
      "not tcp or udp => (not tcp or udp)",
      "not not tcp => not not tcp",
      "not (tcp and udp) => not (tcp and udp)",
      "host 10.0.0.1 or (host 10.0.0.2 and tcp) => (host 10.0.0.1 or (host 10.0.0.2 and tcp))",
      "((tcp)) => tcp",
      "! tcp && port 80 || udp => ((not tcp and port 80) or udp)",
      "!tcp&&!udp => (not tcp and not udp)",
      "tcp&&(port 80||port 443) => (tcp and (port 80 or port 443))",
      // tcpdump's implicit qualifiers: a bare id takes the last primitive's qualifiers.
      "host 10.0.0.1 or 10.0.0.2 => (host 10.0.0.1 or host 10.0.0.2)",
      "tcp dst port 80 or 443 => (tcp dst port 80 or tcp dst port 443)",
      "port 80 or 443 or http-alt => ((port 80 or port 443) or port 8080)",
      "not host 10.0.0.1 and 10.0.0.2 => (not host 10.0.0.1 and host 10.0.0.2)",
      "src net 10/8 or 192.168/16 => (src net 10.0.0.0/8 or src net 192.168.0.0/16)",
      "host 10.0.0.1 and (10.0.0.2 or 10.0.0.3) => (host 10.0.0.1 and (host 10.0.0.2 or host 10.0.0.3))",
      "port 80 and tcp or 443 => ((port 80 and tcp) or port 443)",
  })
  void precedenceAndImplicitQualifiers(String expression, String expected) throws FilterSyntaxException {
    assertEquals(expected, canonical(expression));
  }

  @Test
  void blankExpressionMatchesEverything() throws FilterSyntaxException {
    assertTrue(CaptureFilter.parse("").matchesAll());
    assertTrue(CaptureFilter.parse("  \t").matchesAll());
    assertTrue(CaptureFilter.all().matchesAll());
    assertFalse(CaptureFilter.parse("tcp").matchesAll());
    assertTrue(CaptureFilter.all().matchesConnection(new byte[4], 1, new byte[4], 2, 6, -1));
  }

  @Test
  void keepsTheExpressionAsGiven() throws FilterSyntaxException {
    assertEquals("tcp  and port 80", CaptureFilter.parse("tcp  and port 80").expression());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "port                          | 4  | expected a port after 'port', got end of expression",
      "port x                        | 5  | expected a port number or service name, got 'x'",
      "port 65536                    | 5  | port 65536 is out of range 0-65535",
      "port 99999999999              | 5  | out of range",
      "portrange 80                  | 10 | expected a port range N-M, got '80'",
      "portrange 80-                 | 10 | expected a port range N-M",
      "portrange 1-70000             | 10 | out of range",
      "host                          | 4  | expected an address after 'host'",
      "host 10.0.0                   | 5  | '10.0.0' is not an IPv4 or IPv6 address",
      "host 10.0.0.256               | 5  | not an IPv4 or IPv6 address",
      "host example.com              | 5  | host names are not resolved",
      "host 2001:db8::1::2           | 5  | not an IPv4 or IPv6 address",
      "host 1:2:3:4:5:6:7:8:9        | 5  | not an IPv4 or IPv6 address",
      "host 10.0.0.0/8               | 5  | use 'net 10.0.0.0/8'",
      "net 10.0.0.1/8                | 4  | non-network bits set in '10.0.0.1/8'",
      "net 192.168.1.128/24          | 4  | non-network bits set",
      "net 10.0.0.0/33               | 4  | prefix length 33 is out of range 0-32",
      "net 2001:db8::/129            | 4  | prefix length 129 is out of range 0-128",
      "net 2001:db8::1/64            | 4  | non-network bits set",
      "net 10.0.0.0/x                | 4  | bad prefix length",
      "net 10.1.2.3 mask 255.255.0.0 | 4  | non-network bits set in '10.1.2.3 mask 255.255.0.0'",
      "net 10.0.0.0/8 mask 255.0.0.0 | 15 | 'mask' after a prefix length",
      "net 10.0.0.0 mask             | 17 | expected an IPv4 mask after 'mask', got end of expression",
      "net 2001:db8:: mask ffff::    | 15 | 'mask' works for IPv4 networks",
      "tcp and (port 80              | 16 | expected ')' to close the '(' at column 9, got end of expression",
      "tcp)                          | 3  | unbalanced ')'",
      "()                            | 1  | expected a primitive",
      "tcp port 80 udp               | 12 | expected 'and' or 'or' before 'udp'",
      "tcp and                       | 7  | expected a primitive (host, net, port, portrange, tcp, udp, ip, ip6, vlan), got end of expression",
      "and tcp                       | 0  | expected a primitive",
      "tcp or or udp                 | 7  | expected a primitive",
      "icmp                          | 0  | 'icmp' is not supported by pcaplake's filter",
      "tcp and ether host 1:2:3:4:5:6 | 8 | 'ether' is not supported",
      "ip port 80                    | 8  | 'ip' cannot qualify 'port' (use tcp or udp)",
      "tcp host 10.0.0.1             | 9  | 'tcp' cannot qualify 'host' (write 'tcp and host 10.0.0.1')",
      "ip host ::1                   | 8  | 'ip' cannot qualify the IPv6 host '::1'",
      "ip6 net 10.0.0.0/8            | 8  | 'ip6' cannot qualify the IPv4 net",
      "host 10.0.0.1 # comment       | 14 | unexpected character '#'",
      "tcp & udp                     | 4  | unexpected character '&'",
      "80                            | 0  | '80' is not an address (did you mean 'port 80'?)",
      "vlan 5000                     | 5  | VLAN id 5000 is out of range 0-4095",
      "src                           | 3  | expected an address after 'src', got end of expression",
      "src or dst                    | 10 | expected an address after 'dst'",
      "dst port                      | 8  | expected a port after 'port'",
      "mask                          | 0  | 'mask' needs a value here",
  })
  void errorsSayWhatAndWhere(String expression, int position, String message) {
    FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> CaptureFilter.parse(expression));
    assertTrue(e.getMessage().contains(message), () -> "message: " + e.getMessage());
    assertEquals(position, e.position(), () -> "position of: " + e.getMessage());
    assertTrue(e.getMessage().endsWith(" at column " + (position + 1)), e.getMessage());
    assertEquals(expression, e.expression());
  }

  @Test
  void pointerDrawsACaretUnderTheProblem() {
    FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> CaptureFilter.parse("tcp port x"));
    assertEquals("tcp port x\n         ^", e.pointer());
    assertEquals("expected a port number or service name, got 'x'", e.reason());
  }
}
