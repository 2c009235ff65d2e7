package io.pcaplake.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The claims of a JWT that the table shows, decoded without verification: a token of three base64url parts whose
 * header is a JSON object; {@code sub} (string), {@code exp} and {@code iat} (NumericDate seconds) from the payload.
 * A tiny scanner over the top level of the payload object; nested values are skipped.
 */
record Jwt(String sub, Long expMicros, Long iatMicros) {
  private static final int MAX_TOKEN = 16 * 1024;

  /** The claims, or null when the token is not a decodable JWT. */
  static Jwt parse(String token) {
    if (token == null || token.length() > MAX_TOKEN) {
      return null;
    }
    int d1 = token.indexOf('.');
    int d2 = d1 < 0 ? -1 : token.indexOf('.', d1 + 1);
    if (d1 <= 0 || d2 < 0 || token.indexOf('.', d2 + 1) >= 0) {
      return null;
    }
    String header = b64url(token.substring(0, d1));
    String payload = b64url(token.substring(d1 + 1, d2));
    if (header == null || payload == null || !header.strip().startsWith("{")) {
      return null;
    }
    Map<String, Object> claims = topLevel(payload);
    if (claims == null) {
      return null;
    }
    Object sub = claims.get("sub");
    return new Jwt(sub instanceof String s ? s : null, micros(claims.get("exp")), micros(claims.get("iat")));
  }

  private static Long micros(Object o) {
    if (!(o instanceof Double d) || d.isNaN() || Math.abs(d) > 9.2e12) {
      return null;
    }
    return (long) Math.floor(d * 1_000_000d);
  }

  private static String b64url(String s) {
    try {
      return new String(Base64.getUrlDecoder().decode(stripPad(s)), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String stripPad(String s) {
    int n = s.length();
    while (n > 0 && s.charAt(n - 1) == '=') {
      n--;
    }
    return s.substring(0, n);
  }

  /** Top-level members of a JSON object: strings as String, numbers as Double, others skipped; null if not JSON. */
  static Map<String, Object> topLevel(String json) {
    Scanner s = new Scanner(json);
    Map<String, Object> out = new HashMap<>();
    s.ws();
    if (!s.eat('{')) {
      return null;
    }
    s.ws();
    if (s.eat('}')) {
      return out;
    }
    while (true) {
      s.ws();
      String k = s.string();
      s.ws();
      if (k == null || !s.eat(':')) {
        return null;
      }
      s.ws();
      char c = s.peek();
      Object v;
      if (c == '"') {
        v = s.string();
        if (v == null) {
          return null;
        }
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        v = s.number();
        if (v == null) {
          return null;
        }
      } else if (!s.skipValue()) {
        return null;
      } else {
        v = Boolean.TRUE; // present, not a string or number
      }
      out.putIfAbsent(k, v);
      s.ws();
      if (s.eat(',')) {
        continue;
      }
      return s.eat('}') ? out : null;
    }
  }

  /** Digest {@code username="..."} parameter, or null. */
  static String digestUser(String params) {
    int i = 0;
    String lower = params.toLowerCase(java.util.Locale.ROOT);
    while ((i = lower.indexOf("username", i)) >= 0) {
      int j = i + 8;
      boolean start = i == 0 || lower.charAt(i - 1) == ',' || lower.charAt(i - 1) == ' ';
      while (j < params.length() && params.charAt(j) == ' ') {
        j++;
      }
      if (start && j < params.length() && params.charAt(j) == '=') {
        j++;
        while (j < params.length() && params.charAt(j) == ' ') {
          j++;
        }
        if (j < params.length() && params.charAt(j) == '"') {
          int e = params.indexOf('"', j + 1);
          return e < 0 ? null : params.substring(j + 1, e);
        }
        int e = params.indexOf(',', j);
        return params.substring(j, e < 0 ? params.length() : e).strip();
      }
      i = j;
    }
    return null;
  }

  private static final class Scanner {
    final String s;
    int p;

    Scanner(String s) {
      this.s = s;
    }

    char peek() {
      return p < s.length() ? s.charAt(p) : '\0';
    }

    boolean eat(char c) {
      if (peek() == c && p < s.length()) {
        p++;
        return true;
      }
      return false;
    }

    void ws() {
      while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
        p++;
      }
    }

    String string() {
      if (!eat('"')) {
        return null;
      }
      StringBuilder b = new StringBuilder();
      while (p < s.length()) {
        char c = s.charAt(p++);
        if (c == '"') {
          return b.toString();
        }
        if (c != '\\') {
          b.append(c);
          continue;
        }
        if (p >= s.length()) {
          return null;
        }
        char e = s.charAt(p++);
        switch (e) {
          case 'n' -> b.append('\n');
          case 't' -> b.append('\t');
          case 'r' -> b.append('\r');
          case 'b' -> b.append('\b');
          case 'f' -> b.append('\f');
          case 'u' -> {
            if (p + 4 > s.length()) {
              return null;
            }
            try {
              b.append((char) Integer.parseInt(s.substring(p, p + 4), 16));
            } catch (NumberFormatException x) {
              return null;
            }
            p += 4;
          }
          default -> b.append(e);
        }
      }
      return null;
    }

    Double number() {
      int st = p;
      while (p < s.length() && "+-0123456789.eE".indexOf(s.charAt(p)) >= 0) {
        p++;
      }
      try {
        return Double.parseDouble(s.substring(st, p));
      } catch (NumberFormatException e) {
        return null;
      }
    }

    boolean skipValue() {
      char c = peek();
      if (c == '{' || c == '[') {
        int depth = 0;
        while (p < s.length()) {
          char x = s.charAt(p);
          if (x == '"') {
            if (string() == null) {
              return false;
            }
            continue;
          }
          p++;
          if (x == '{' || x == '[') {
            depth++;
          } else if (x == '}' || x == ']') {
            if (--depth == 0) {
              return true;
            }
          }
        }
        return false;
      }
      for (String lit : new String[] {"true", "false", "null"}) {
        if (s.startsWith(lit, p)) {
          p += lit.length();
          return true;
        }
      }
      return false;
    }
  }
}
