package io.pcaplake.http;

import java.util.Locale;

/**
 * One header line as sent: name as on the wire (case kept), value with surrounding whitespace trimmed and folded
 * lines joined by one space. Bytes are decoded as UTF-8 when valid, else ISO-8859-1 (byte per char).
 */
public record HttpHeader(String name, String value) {
  /**
   * True for headers whose values are credentials: Authorization, Proxy-Authorization, Cookie, Set-Cookie,
   * Set-Cookie2, and every name (trimmed, case-insensitive) containing {@code api-key}, {@code apikey},
   * {@code api_key}, {@code token} (X-Auth-Token, X-Access-Token, X-CSRF-Token, X-Amz-Security-Token ...),
   * {@code secret}, {@code password}, {@code session} or {@code authorization} (X-Authorization). The table layer
   * replaces such values by fingerprints; this parser keeps them raw.
   */
  public boolean sensitive() {
    return isSensitive(name);
  }

  public static boolean isSensitive(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    return n.equals("cookie") || n.equals("set-cookie") || n.equals("set-cookie2") || n.contains("authorization")
        || n.contains("api-key") || n.contains("apikey") || n.contains("api_key") || n.contains("token")
        || n.contains("secret") || n.contains("password") || n.contains("session");
  }
}
