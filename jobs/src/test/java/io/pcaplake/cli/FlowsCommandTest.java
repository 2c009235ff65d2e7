package io.pcaplake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestSpark;
import io.pcaplake.spark.flows.FlowsOptions;
import io.pcaplake.spark.flows.FlowsSummary;
import io.pcaplake.synth.CaptureFiles;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.HttpTraffic;
import io.pcaplake.synth.TcpConversation;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowsCommandTest {
  @TempDir Path dir;

  @Test
  void badFilterExitsWithTwoAndThePosition() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = Main.execute("flows", dir.toString(), "--out", dir.resolve("out").toString(), "--filter", "tcp port x");
    } finally {
      System.setErr(old);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, code, text);
    assertTrue(text.contains("at column 10"), text);
    assertTrue(text.contains("tcp port x\n         ^"), text);
    assertFalse(Files.exists(dir.resolve("out")), "nothing written");
  }

  @Test
  void commandLineIsQuotedForTheShell() {
    assertEquals("pcaplake flows in --out o --filter 'dst port 8000' 'it'\\''s'",
        FlowsCommand.commandLine(List.of("flows", "in", "--out", "o", "--filter", "dst port 8000", "it's")));
    // The key goes nowhere near report.xml.
    assertEquals("pcaplake flows in --fingerprint-key '***' '--fingerprint-key=***' --keep-secrets",
        FlowsCommand.commandLine(List.of("flows", "in", "--fingerprint-key", "s3cr3t key", "--fingerprint-key=k2",
            "--keep-secrets")));
  }

  @Test
  void printsTheSummary() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    CaptureFiles.write(in.resolve("web.pcap"), Format.PCAP,
        TcpConversation.between(InetAddress.getByName("10.1.1.1"), 40000, InetAddress.getByName("10.2.2.2"), 80)
            .start(1_710_230_400_000_000_000L).open().handshake()
            .clientSends(HttpTraffic.utf8("GET / HTTP/1.1\r\n\r\n")).serverSends(HttpTraffic.utf8("HTTP/1.1 200 OK\r\n\r\n"))
            .fin().packets());
    Files.write(in.resolve("junk.pcap"), "junk".getBytes(StandardCharsets.US_ASCII));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    FlowsOptions o = FlowsOptions.of(List.of(in.toString()), dir.resolve("out").toString()).withRunId("r1");
    FlowsSummary s = FlowsCommand.run(TestSpark.get(), o, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertEquals(2, s.files());
    assertEquals(1, s.connections());
    assertEquals(1L, s.connStates().get("SF"));
    assertTrue(out.matches("(?s)files:\\s+2 \\(\\d+ bytes\\)\\n.*"), out);
    assertTrue(out.matches("(?s).*records:\\s+" + s.records() + "\\n.*") && s.records() >= 8, out);
    assertTrue(out.matches("(?s).*tcp connections:\\s+1\\n\\s+SF\\s+1\\n.*"), out);
    assertTrue(out.matches("(?s).*anomalies:\\s+[1-9]\\d*\\n\\s+capture\\.\\S+\\s+\\d+\\n.*"), out);
    assertTrue(out.contains("report:           " + dir.resolve("out/reports/r1/report.xml")), out);
    assertTrue(Files.isRegularFile(dir.resolve("out/reports/r1/report.xml")));
    assertTrue(out.matches("(?s).*elapsed:\\s+\\d+\\.\\d s\\n"), out);
  }
}
