package io.pcaplake.http;

import java.util.Locale;

/**
 * One header line as sent: name as on the wire (case kept), value with surrounding whitespace trimmed and folded
 * lines joined by one space. Bytes are decoded as UTF-8 when valid, else ISO-8859-1 (byte per char).
 */
public record HttpHeader(String name, String value) {
  /**
   * True for headers whose values are credentials: Authorization, Proxy-Authorization, Cookie, Set-Cookie and
   * API-key headers (a name containing {@code api-key}, {@code apikey}, {@code api_key} or {@code auth-token}).
   * The table layer replaces such values by fingerprints; this parser keeps them raw.
   */
  public boolean sensitive() {
    return isSensitive(name);
  }

  public static boolean isSensitive(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.equals("authorization") || n.equals("proxy-authorization") || n.equals("cookie")
        || n.equals("set-cookie") || n.contains("api-key") || n.contains("apikey") || n.contains("api_key")
        || n.contains("auth-token");
  }
}
