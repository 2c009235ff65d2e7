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
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void demoAnswersWhichTokensGot401sFromWhichClientsSinceWhen() throws Exception {
    SampleCapture.Truth truth = SampleCapture.generate(SampleCapture.Options.defaults()).truth();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    DemoCommand.Result r = DemoCommand.run(TestSpark.get(), dir, new PrintStream(buf, true, StandardCharsets.UTF_8));
    assertTrue(Files.isRegularFile(dir.resolve("sample.pcapng")));
    assertTrue(Files.isDirectory(dir.resolve("lake/http")));
    assertEquals(truth.connections(), r.ingest().connections());
    assertEquals(truth.requests(), r.ingest().httpExchanges());

    // All 401s went to one client with one token: one row, the revoked token's fingerprint.
    assertEquals(1, r.rows().size(), r.rows().toString());
    Row top = r.rows().get(0);
    String fp = Fingerprints.of(null, truth.revokedToken());
    assertEquals(fp, top.getString(0));
    assertTrue(top.getString(1).length() <= 4 && truth.revokedToken().endsWith(top.getString(1)), top.toString());
    assertEquals(truth.offendingClient(), top.getString(2));
    assertEquals((long) truth.unauthorized(), top.getLong(3));
    assertEquals(Instant.ofEpochSecond(0, truth.firstUnauthorizedNanos()).truncatedTo(ChronoUnit.MICROS),
        ((Timestamp) top.get(4)).toInstant());

    String out = buf.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("wrote "), out);
    assertTrue(out.contains("FROM http WHERE status_code = 401"), out);
    assertTrue(out.matches("(?s).*\\n  " + fp + "  \\S+\\s+" + Pattern.quote(truth.offendingClient()) + "\\s+"
        + truth.unauthorized() + "  " + Pattern.quote(TextTable.text(top.get(4))) + "\\n.*"), out);
    assertTrue(out.contains("$ scripts/pcaplake fingerprint " + truth.revokedToken() + "\n  " + fp + "\n"), out);

    ByteArrayOutputStream again = new ByteArrayOutputStream();
    DemoCommand.run(TestSpark.get(), dir, new PrintStream(again, true, StandardCharsets.UTF_8));
    assertTrue(again.toString(StandardCharsets.UTF_8).startsWith("using "), again.toString());
    assertTrue(again.toString(StandardCharsets.UTF_8).contains("ingest:    nothing new"), again.toString());
    assertTrue(again.toString(StandardCharsets.UTF_8).contains("  " + fp + "  "), "the same answer from the lake");
  }

  @Test
  void fingerprintPrintsOnePerLineInOrderWithoutSpark() throws Exception {
    java.util.function.UnaryOperator<String> fp = Fingerprints.function(null);
    String a = fp.apply("abc");
    assertTrue(a.matches("[0-9a-f]{32}"), a);
    assertEquals(a, Fingerprints.of(null, "abc"));
    assertTrue(!a.equals(Fingerprints.of("other key".getBytes(StandardCharsets.UTF_8), "abc")));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long n = FingerprintCommand.run(fp, new java.io.ByteArrayInputStream(
        "abc\r\n\ndef\nabc".getBytes(StandardCharsets.UTF_8)), out);
    assertEquals(4, n);
    assertEquals(a + "\n\n" + fp.apply("def") + "\n" + a + "\n", out.toString(StandardCharsets.UTF_8));

    Path keyFile = dir.resolve("key");
    Files.writeString(keyFile, "other key\n");
    PrintStream old = System.out;
    ByteArrayOutputStream cli = new ByteArrayOutputStream();
    System.setOut(new PrintStream(cli, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, Main.execute("fingerprint", "abc"));
      assertEquals(0, Main.execute("fingerprint", "--fingerprint-key", "other key", "abc"));
      assertEquals(0, Main.execute("fingerprint", "--fingerprint-key-file", keyFile.toString(), "abc"));
      assertEquals(2, Main.execute("fingerprint", "--fingerprint-key", "k", "--fingerprint-key-file", "f", "abc"));
    } finally {
      System.setOut(old);
    }
    String b = Fingerprints.of("other key".getBytes(StandardCharsets.UTF_8), "abc");
    assertEquals(a + "\n" + b + "\n" + b + "\n", cli.toString(StandardCharsets.UTF_8));
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
