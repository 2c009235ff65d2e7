package io.pcaplake.cli;

import static io.pcaplake.TestCaptures.tcp4;
import static io.pcaplake.TestCaptures.udp4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestCaptures;
import io.pcaplake.TestCaptures.Frame;
import io.pcaplake.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PacketsCommandTest {
  static final long T0 = 1_700_000_000_000_000L;
  @TempDir static Path dir;

  @BeforeAll
  static void captures() throws Exception {
    byte[] get = "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    // The client uses the LOWER port, so only the SYN can tell who is the client.
    String c = "10.1.1.1";
    String s = "10.2.2.2";
    TestCaptures.writePcap(dir.resolve("web.pcap"), List.of(
        new Frame(T0, tcp4(c, 1025, s, 8080, 100, 0, 0x02, 1000, new byte[0])),
        new Frame(T0 + 10, tcp4(s, 8080, c, 1025, 500, 101, 0x12, 1000, new byte[0])),
        new Frame(T0 + 20, tcp4(c, 1025, s, 8080, 101, 501, 0x10, 1000, new byte[0])),
        new Frame(T0 + 30, tcp4(c, 1025, s, 8080, 101, 501, 0x18, 1000, get)),
        new Frame(T0 + 40, tcp4(s, 8080, c, 1025, 501, 101 + get.length, 0x18, 1000, ok))));
    TestCaptures.writePcap(dir.resolve("dns.pcap"), List.of(
        new Frame(T0 + 1_000_000, udp4("10.1.1.1", 5000, "10.0.0.53", 53, new byte[20]))));
    Files.write(dir.resolve("junk.pcap"), "no capture here".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void summarizesRealNumbers() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PacketsSummary s = PacketsCommand.run(TestSpark.get(),
        new PacketsCommand.Options(List.of(dir.toString()), 64L, SummaryPrinter.Format.table),
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertEquals(3, s.files());
    assertEquals(6, s.records());
    assertEquals(Instant.ofEpochSecond(1_700_000_000L), s.firstTs());
    assertEquals(Instant.ofEpochSecond(1_700_000_001L), s.lastTs());
    assertEquals(6L, s.byStatus().get("ok"));
    assertEquals(5L, s.byProtocol().get("tcp"));
    assertEquals(1L, s.byProtocol().get("udp"));
    assertEquals(List.of(new PacketsSummary.Conversation("10.1.1.1:1025", "10.2.2.2:8080", 5,
        "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n".length() + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".length())),
        s.topConversations());
    assertTrue(s.problemsByReason().values().stream().mapToLong(Long::longValue).sum() >= 1, s.toString());

    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.matches("(?s).*records\\s+6\\n.*"), out);
    assertTrue(out.contains("10.1.1.1:1025 -> 10.2.2.2:8080"), out);
    assertTrue(out.matches("(?s).*tcp\\s+5\\n.*"), out);
    assertTrue(out.contains("2023-11-14T22:13:20Z"), out);
  }

  @Test
  void csvAndJsonCarryTheSameNumbers() {
    PacketsSummary s = new PacketsSummary(2, 100, 7, 90, java.util.Map.of("ok", 7L), java.util.Map.of("tcp", 7L),
        List.of(new PacketsSummary.Conversation("[::1]:5000", "[::1]:80", 7, 12)), Instant.EPOCH, Instant.EPOCH,
        java.util.Map.of("pcap.truncated_record", 1L));
    ByteArrayOutputStream csv = new ByteArrayOutputStream();
    SummaryPrinter.print(s, SummaryPrinter.Format.csv, new PrintStream(csv, true, StandardCharsets.UTF_8));
    assertTrue(csv.toString(StandardCharsets.UTF_8).contains("captures,records,7,\n"), csv.toString());
    assertTrue(csv.toString(StandardCharsets.UTF_8).contains("tcp_conversation,[::1]:5000 -> [::1]:80,7,12"));
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    SummaryPrinter.print(s, SummaryPrinter.Format.json, new PrintStream(json, true, StandardCharsets.UTF_8));
    assertTrue(json.toString(StandardCharsets.UTF_8).contains("\"records\" : 7"), json.toString());
    assertTrue(json.toString(StandardCharsets.UTF_8).contains("\"pcap.truncated_record\" : 1"), json.toString());
  }

  @Test
  void usageErrorsExitWith2() {
    assertEquals(2, Main.execute());
    assertEquals(2, Main.execute("packets"));
    assertEquals(2, Main.execute("packets", "--split-size", "lots", "x.pcap"));
    assertEquals(2, Main.execute("packets", "--format", "xml", "x.pcap"));
    assertEquals(0, Main.execute("--help"));
  }
}
