package io.pcaplake.http;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/** Byte-level syntax helpers (RFC 9110 tokens, decimal numbers, URI escaping). */
final class Tokens {
  private Tokens() { }

  static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
      "TRACE", "PATCH", "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "SEARCH", "REPORT",
      "MKACTIVITY", "CHECKOUT", "MERGE", "ACL", "BIND", "UNBIND", "REBIND", "MKCALENDAR", "LINK", "UNLINK", "PURGE");

  private static final boolean[] TCHAR = new boolean[128];

  static {
    for (char c = '0'; c <= '9'; c++) {
      TCHAR[c] = true;
    }
    for (char c = 'a'; c <= 'z'; c++) {
      TCHAR[c] = true;
      TCHAR[c - 32] = true;
    }
    for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
      TCHAR[c] = true;
    }
  }

  static boolean tchar(byte c) {
    return c >= 0 && TCHAR[c];
  }

  /** Non-negative decimal without sign, at most 18 digits; -1 otherwise. */
  static long decimal(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** "HTTP/d.d" */
  static boolean version(byte[] b, int off, int len) {
    return len == 8 && b[off] == 'H' && b[off + 1] == 'T' && b[off + 2] == 'T' && b[off + 3] == 'P'
        && b[off + 4] == '/' && digit(b[off + 5]) && b[off + 6] == '.' && digit(b[off + 7]);
  }

  static boolean digit(byte c) {
    return c >= '0' && c <= '9';
  }

  /**
   * The request target as text, lossless for the bytes that matter: valid UTF-8 sequences are kept as characters,
   * every other byte >= 0x80 and every control byte (< 0x21, 0x7F) is written as {@code %XX} (upper-case hex). Bytes
   * already sent as {@code %XX} stay as sent, so an escaped byte and a byte that arrived raw read the same.
   * Returns the text and whether any byte was not valid UTF-8.
   */
  static String uri(byte[] b, int off, int len, boolean[] nonUtf8) {
    boolean plain = true;
    for (int i = off; i < off + len; i++) {
      if (b[i] < 0x21 || b[i] == 0x7f) {
        plain = false;
        break;
      }
    }
    if (plain) {
      return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
    StringBuilder sb = new StringBuilder(len + 16);
    int i = off;
    int end = off + len;
    while (i < end) {
      int c = b[i] & 0xff;
      if (c >= 0x21 && c < 0x7f) {
        sb.append((char) c);
        i++;
        continue;
      }
      int n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
      if (n > 0 && i + n <= end && validUtf8(b, i, n)) {
        sb.append(new String(b, i, n, StandardCharsets.UTF_8));
        i += n;
        continue;
      }
      if (c >= 0x80) {
        nonUtf8[0] = true;
      }
      sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
          .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      i++;
    }
    return sb.toString();
  }

  /**
   * Header text, lossless: a value that is ASCII or valid UTF-8 is returned decoded; otherwise valid UTF-8 sequences
   * and ASCII stay as characters, every other byte >= 0x80 and every {@code %} (so the result percent-decodes to the
   * exact bytes) is written {@code %XX}, and {@code nonUtf8[0]} is set.
   */
  static String escapedText(byte[] b, int off, int len, boolean[] nonUtf8) {
    int end = off + len;
    int i = off;
    boolean ok = true;
    while (i < end) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n = utf8Length(c);
      if (n == 0 || i + n > end || !validUtf8(b, i, n)) {
        ok = false;
        break;
      }
      i += n;
    }
    if (ok) {
      return new String(b, off, len, StandardCharsets.UTF_8);
    }
    nonUtf8[0] = true;
    StringBuilder sb = new StringBuilder(len + 16);
    i = off;
    while (i < end) {
      int c = b[i] & 0xff;
      if (c < 0x80 && c != '%') {
        sb.append((char) c);
        i++;
        continue;
      }
      int n = utf8Length(c);
      if (n > 0 && i + n <= end && validUtf8(b, i, n)) {
        sb.append(new String(b, i, n, StandardCharsets.UTF_8));
        i += n;
        continue;
      }
      sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
          .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
      i++;
    }
    return sb.toString();
  }

  private static int utf8Length(int c) {
    return c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
  }

  private static boolean validUtf8(byte[] b, int i, int n) {
    for (int k = 1; k < n; k++) {
      if ((b[i + k] & 0xc0) != 0x80) {
        return false;
      }
    }
    int c = b[i] & 0xff;
    int c1 = b[i + 1] & 0xff;
    if (c == 0xe0 && c1 < 0xa0 || c == 0xed && c1 > 0x9f || c == 0xf0 && c1 < 0x90 || c == 0xf4 && c1 > 0x8f) {
      return false;   // overlong, surrogate, beyond U+10FFFF
    }
    return true;
  }
}
