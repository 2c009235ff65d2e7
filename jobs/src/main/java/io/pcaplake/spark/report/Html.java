package io.pcaplake.spark.report;

/**
 * HTML text escaping for everything taken from a capture (URIs, hosts, user agents, fingerprints, reasons). The
 * result is safe in element text and in quoted attribute values, in HTML and inside inline SVG: {@code < > & " '}
 * become character references, and characters HTML forbids or hides (C0/C1 controls except tab and newline, lone
 * surrogates, noncharacters U+FFFE/U+FFFF) become U+FFFD.
 */
final class Html {
  private Html() { }

  /** Escaped {@code s}; null becomes the empty string. */
  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        case '\t', '\n' -> sb.append(ch);
        default -> {
          if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(ch).append(s.charAt(++i));
          } else if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0) || Character.isSurrogate(ch) || ch == 0xfffe
              || ch == 0xffff) {
            sb.append('\ufffd');
          } else {
            sb.append(ch);
          }
        }
      }
    }
    return sb.toString();
  }

  /** {@code s} cut to {@code max} characters (an ellipsis marks the cut), then escaped. */
  static String shortened(String s, int max) {
    if (s == null) {
      return "";
    }
    if (s.length() <= max) {
      return escape(s);
    }
    int end = max - 1;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return escape(s.substring(0, end)) + "\u2026";
  }
}
