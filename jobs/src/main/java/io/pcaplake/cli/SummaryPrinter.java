package io.pcaplake.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prints a {@link PacketsSummary} as an aligned text table, as CSV ({@code section,key,value,extra}) or as JSON. */
final class SummaryPrinter {
  enum Format { table, csv, json }

  private SummaryPrinter() { }

  static void print(PacketsSummary s, Format format, PrintStream out) {
    switch (format) {
      case table -> table(s, out);
      case csv -> csv(s, out);
      case json -> json(s, out);
      default -> throw new IllegalArgumentException(String.valueOf(format));
    }
    out.flush();
  }

  private static void table(PacketsSummary s, PrintStream out) {
    out.println("Captures");
    row(out, "files", s.files());
    row(out, "bytes on disk", s.fileBytes());
    row(out, "records", s.records());
    row(out, "captured bytes", s.capturedBytes());
    row(out, "first ts", s.firstTs() == null ? "-" : s.firstTs());
    row(out, "last ts", s.lastTs() == null ? "-" : s.lastTs());
    section(out, "Records by decode_status", s.byStatus());
    section(out, "Records by protocol", s.byProtocol());
    out.println("Top TCP conversations (client -> server: packets, payload bytes)");
    if (s.topConversations().isEmpty()) {
      out.println("  (none)");
    }
    for (PacketsSummary.Conversation c : s.topConversations()) {
      out.printf("  %-48s %10d %14d%n", c.client() + " -> " + c.server(), c.packets(), c.payloadBytes());
    }
    section(out, "Capture problems by reason", s.problemsByReason());
  }

  private static void section(PrintStream out, String title, Map<String, Long> counts) {
    out.println(title);
    if (counts.isEmpty()) {
      out.println("  (none)");
    }
    counts.forEach((k, v) -> row(out, k, v));
  }

  private static void row(PrintStream out, String key, Object value) {
    out.printf("  %-32s %s%n", key, value);
  }

  private static void csv(PacketsSummary s, PrintStream out) {
    out.println("section,key,value,extra");
    csvRow(out, "captures", "files", s.files(), "");
    csvRow(out, "captures", "bytes_on_disk", s.fileBytes(), "");
    csvRow(out, "captures", "records", s.records(), "");
    csvRow(out, "captures", "captured_bytes", s.capturedBytes(), "");
    csvRow(out, "captures", "first_ts", s.firstTs() == null ? "" : s.firstTs(), "");
    csvRow(out, "captures", "last_ts", s.lastTs() == null ? "" : s.lastTs(), "");
    s.byStatus().forEach((k, v) -> csvRow(out, "decode_status", k, v, ""));
    s.byProtocol().forEach((k, v) -> csvRow(out, "protocol", k, v, ""));
    for (PacketsSummary.Conversation c : s.topConversations()) {
      csvRow(out, "tcp_conversation", c.client() + " -> " + c.server(), c.packets(), c.payloadBytes());
    }
    s.problemsByReason().forEach((k, v) -> csvRow(out, "problem", k, v, ""));
  }

  private static void csvRow(PrintStream out, String section, String key, Object value, Object extra) {
    out.println(section + "," + quote(key) + "," + quote(String.valueOf(value)) + "," + quote(String.valueOf(extra)));
  }

  private static String quote(String v) {
    return v.contains(",") || v.contains("\"") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }

  private static void json(PacketsSummary s, PrintStream out) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("files", s.files());
    m.put("bytes_on_disk", s.fileBytes());
    m.put("records", s.records());
    m.put("captured_bytes", s.capturedBytes());
    m.put("first_ts", s.firstTs() == null ? null : s.firstTs().toString());
    m.put("last_ts", s.lastTs() == null ? null : s.lastTs().toString());
    m.put("decode_status", s.byStatus());
    m.put("protocol", s.byProtocol());
    m.put("top_tcp_conversations", s.topConversations().stream().map(c -> Map.of("client", c.client(),
        "server", c.server(), "packets", c.packets(), "payload_bytes", c.payloadBytes())).toList());
    m.put("problems", s.problemsByReason());
    try {
      out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("summary to JSON", e);
    }
  }
}
