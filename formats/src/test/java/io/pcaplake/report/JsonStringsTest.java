package io.pcaplake.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonStringsTest {
  static String q(String s) {
    StringBuilder sb = new StringBuilder();
    JsonStrings.quote(s, sb);
    return sb.toString();
  }

  @Test
  void escapesWhatBreaksALineOrAReader() {
    assertEquals("\"a\\\"b\\\\c\\n\\r\\t\"", q("a\"b\\c\n\r\t"));
    assertEquals("\"\\u0000\\u001f\\u007f\\u2028\\u2029\"", q("\u0000\u001f\u007f\u2028\u2029"));
    assertEquals("\"caf\u00e9 \ud83d\ude00\"", q("caf\u00e9 \ud83d\ude00"), "paired surrogates stay as they are");
    assertEquals("\"\\ud83dx\\ude00\"", q("\ud83dx\ude00"), "lone surrogates are escaped");
  }
}
