package io.pcaplake.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Credentials in URL parameters ({@code ?access_token=...}, {@code &X-Amz-Signature=...}): finds {@code name=value}
 * pairs whose name is a credential name ({@link #isSecretName}) and replaces the value. Works on a whole URI, a bare
 * query, a header value holding a URL (Referer, Location) or free text such as an anomaly detail: a parameter starts
 * after {@code ?}, {@code &}, {@code ;} or {@code #} (or at the start of a bare query) and its value runs to the next
 * {@code &}, {@code ;}, {@code #}, whitespace, quote or angle bracket.
 */
final class UrlSecrets {
  private UrlSecrets() { }

  /**
   * Parameter names (compared lower-case, after percent-decoding the name) whose values are credentials. Also every
   * name ending in {@code token}, {@code secret}, {@code password}, {@code _key}, {@code -key} or {@code apikey}
   * ({@link #isSecretName}). Kept in sync with {@code docs/http.md}.
   */
  static final Set<String> NAMES = Set.of("access_token", "id_token", "refresh_token", "token", "auth",
      "authorization", "api_key", "apikey", "api-key", "key", "password", "passwd", "pwd", "pass", "secret",
      "client_secret", "sig", "signature", "x-amz-signature", "x-amz-security-token", "x-amz-credential",
      "x-goog-signature", "x-goog-credential", "code", "session", "sessionid", "session_id", "jsessionid",
      "phpsessid", "sid", "ticket");

  private static final String[] SUFFIXES = {"token", "secret", "password", "_key", "-key", "apikey"};

  static boolean isSecretName(String rawName) {
    String n = percentDecode(rawName).strip().toLowerCase(Locale.ROOT);
    if (n.isEmpty()) {
      return false;
    }
    if (NAMES.contains(n)) {
      return true;
    }
    for (String s : SUFFIXES) {
      if (n.endsWith(s)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The text with every credential parameter's value replaced by {@code replace(decodedValueBytes)}; the same
   * instance when nothing was replaced. Empty values and values already starting with {@code fp:} stay.
   *
   * @param bareQuery true when the text is a query without its {@code ?} (a parameter starts at offset 0)
   */
  static String mask(String text, boolean bareQuery, Function<byte[], String> replace) {
    if (text == null || text.indexOf('=') < 0) {
      return text;
    }
    StringBuilder out = null;
    int n = text.length();
    int copied = 0;
    int i = 0;
    boolean atParam = bareQuery;
    while (i < n) {
      if (!atParam) {
        char c = text.charAt(i++);
        atParam = c == '?' || c == '&' || c == ';' || c == '#';
        continue;
      }
      atParam = false;
      while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
        i++;
      }
      int nameStart = i;
      while (i < n && !valueEnd(text.charAt(i)) && text.charAt(i) != '=' && text.charAt(i) != '?') {
        i++;
      }
      if (i >= n || text.charAt(i) != '=') {
        continue;   // no value: the loop looks at this character as a separator candidate
      }
      String name = text.substring(nameStart, i);
      int valueStart = ++i;
      while (i < n && !valueEnd(text.charAt(i))) {
        i++;
      }
      if (i > valueStart && isSecretName(name) && !text.startsWith(Secrets.FP_PREFIX, valueStart)) {
        if (out == null) {
          out = new StringBuilder(n + 40);
        }
        out.append(text, copied, valueStart).append(Secrets.FP_PREFIX)
            .append(replace.apply(percentBytes(text.substring(valueStart, i))));
        copied = i;
      }
    }
    if (out == null) {
      return text;
    }
    return out.append(text, copied, n).toString();
  }

  private static boolean valueEnd(char c) {
    return c == '&' || c == ';' || c == '#' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"'
        || c == '\'' || c == '<' || c == '>';
  }

  /** {@code %XX} decoded to bytes; other characters as UTF-8; {@code +} kept (a token may contain it). */
  static byte[] percentBytes(String s) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
        b.write(hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
        i += 2;
      } else if (c < 0x80) {
        b.write(c);
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
        b.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end - 1;
      }
    }
    return b.toByteArray();
  }

  static String percentDecode(String s) {
    return s.indexOf('%') < 0 ? s : new String(percentBytes(s), StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10
        : -1;
  }
}
