package io.pcaplake.tcp;

import java.nio.charset.StandardCharsets;

/** Client/server heuristics for connections picked up without a SYN. */
final class Roles {
  private static final byte[][] METHODS = {
      ascii("GET "), ascii("POST "), ascii("PUT "), ascii("HEAD "), ascii("DELETE "), ascii("OPTIONS "),
      ascii("PATCH "), ascii("CONNECT "), ascii("TRACE "), ascii("PRI * HTTP/2")};
  private static final byte[] STATUS = ascii("HTTP/1.");
  /** Server ports we recognise beyond 0..1023. */
  private static final int[] SERVER_PORTS = {1080, 1433, 1521, 2049, 3128, 3306, 3389, 5432, 5672, 5900, 6379, 8000,
      8008, 8080, 8081, 8088, 8443, 8888, 9000, 9090, 9092, 9200, 11211, 27017};
  static final int EPHEMERAL_START = 32768;

  private Roles() { }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Default payload hint: +1 when the bytes start an HTTP request, -1 an HTTP response, else 0. */
  static int httpHint(byte[] b, int off, int len) {
    for (byte[] m : METHODS) {
      if (startsWith(b, off, len, m)) {
        return 1;
      }
    }
    return startsWith(b, off, len, STATUS) ? -1 : 0;
  }

  private static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
    if (len < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[off + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  /** +1 when port A looks like the server's, -1 when port B does, 0 when the ports do not tell. */
  static int serverByPorts(int portA, int portB) {
    int a = score(portA);
    int b = score(portB);
    return Integer.compare(a, b);
  }

  /** 3 well-known (below 1024), 2 a listed service port, 1 registered, 0 ephemeral (32768 and up). */
  private static int score(int port) {
    if (port < 1024) {
      return 3;
    }
    for (int p : SERVER_PORTS) {
      if (p == port) {
        return 2;
      }
    }
    return port < EPHEMERAL_START ? 1 : 0;
  }
}
