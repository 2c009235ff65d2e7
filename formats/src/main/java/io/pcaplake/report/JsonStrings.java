package io.pcaplake.report;

/**
 * JSON string literals (RFC 8259) for the outputs that print JSON: {@code pcaplake flow --json} and
 * {@code pcaplake sql --format json}. Escaped beyond the RFC's minimum so a line stays one line and valid UTF-8 in
 * any reader: control characters, DEL, U+2028/U+2029 (line breaks to JavaScript) and lone surrogates (which no
 * encoder can write) become {@code \\uXXXX}.
 */
public final class JsonStrings {
  private JsonStrings() { }

  /** Appends {@code s} as a quoted JSON string. */
  public static void quote(String s, StringBuilder sb) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029
              || Character.isSurrogate(c) && !pairedSurrogate(s, i)) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static boolean pairedSurrogate(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
