package io.pcaplake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestSpark;
import io.pcaplake.synth.SampleCapture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void demoWritesTheSampleOnceAndSummarizesIt() throws Exception {
    SampleCapture.Truth truth = SampleCapture.generate(SampleCapture.Options.defaults()).truth();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PacketsSummary s = DemoCommand.run(TestSpark.get(), dir, new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertTrue(Files.isRegularFile(dir.resolve("sample.pcapng")));
    assertEquals(1, s.files());
    assertEquals(truth.packets(), s.records());
    assertEquals((long) truth.packets(), s.byStatus().get("ok"), s.byStatus().toString());
    assertEquals((long) truth.packets(), s.byProtocol().get("tcp"));
    assertTrue(s.problemsByReason().isEmpty(), s.problemsByReason().toString());
    for (PacketsSummary.Conversation c : s.topConversations()) {
      assertEquals(SampleCapture.SERVER + ":" + SampleCapture.SERVER_PORT, c.server(), c.toString());
    }
    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("wrote "), out);
    assertTrue(out.matches("(?s).*records\\s+" + truth.packets() + "\\n.*"), out);

    ByteArrayOutputStream again = new ByteArrayOutputStream();
    DemoCommand.run(TestSpark.get(), dir, new PrintStream(again, true, StandardCharsets.UTF_8));
    assertTrue(again.toString(StandardCharsets.UTF_8).startsWith("using "), again.toString());
  }

  @Test
  void sampleWritesTheChosenFormat() throws Exception {
    Path out = dir.resolve("nested/sample.pcap");
    assertEquals(0, Main.execute("sample", out.toString(), "--format", "pcap"));
    byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(out), 4);
    assertTrue(java.util.Arrays.equals(new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1}, head)
        || java.util.Arrays.equals(new byte[] {(byte) 0xa1, (byte) 0xb2, (byte) 0xc3, (byte) 0xd4}, head),
        java.util.Arrays.toString(head));
    assertEquals(2, Main.execute("sample", out.toString(), "--format", "erf"));
  }
}
