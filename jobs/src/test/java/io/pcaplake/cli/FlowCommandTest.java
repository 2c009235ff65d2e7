package io.pcaplake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pcaplake.http.HttpRecord;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.SampleCapture;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pcaplake flow}: the README's quick look on the sample (each 401 with its request), JSON lines for jq, the
 * stream mode with credentials fingerprinted, standard input, and a run in a JVM whose classpath has no Spark.
 */
class FlowCommandTest {
  @TempDir
  static Path dir;
  static Path sample;
  static SampleCapture.Truth truth;

  @BeforeAll
  static void write() throws Exception {
    sample = dir.resolve("sample.pcapng");
    truth = SampleCapture.write(sample, Format.PCAPNG);
  }

  record Result(int code, String out, String err) { }

  static Result run(InputStream stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    InputStream oldIn = System.in;
    System.setOut(new PrintStream(out, false, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    if (stdin != null) {
      System.setIn(stdin);
    }
    int code;
    try {
      code = Main.execute(args);
      System.out.flush();
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      System.setIn(oldIn);
    }
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void httpQuickLookShowsEach401WithItsRequest() {
    Result r = run(null, "flow", "-r", sample.toString(), "--http", "port", "8000");
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().split("\n", -1);
    int shown = 0;
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].equals("HTTP/1.1 401 Unauthorized")) {
        shown++;
        // the request of the same block, within grep -A 20 of it
        int k = i;
        while (k > 0 && !lines[k].startsWith("== ")) {
          k--;
        }
        assertTrue(i - k <= 21, "block too long");
        assertEquals("GET /api/transactions?limit=50 HTTP/1.1", lines[k + 1]);
        assertTrue(lines[k].startsWith("== " + SampleCapture.OFFENDING_CLIENT + ":"), lines[k]);
      }
    }
    assertEquals(truth.unauthorized(), shown);
    assertFalse(r.out().contains(truth.revokedToken()));
  }

  @Test
  void jsonLinesParseWithTheHttpColumns() throws Exception {
    Result r = run(null, "flow", "-r", sample.toString(), "--json");
    assertEquals(0, r.code(), r.err());
    ObjectMapper m = new ObjectMapper();
    int n = 0;
    int unauthorized = 0;
    for (String line : r.out().split("\n")) {
      JsonNode o = m.readTree(line);
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      assertEquals(HttpRecord.COLUMNS, names);
      if (o.get("status_code").asInt() == 401) {
        unauthorized++;
        assertEquals(SampleCapture.OFFENDING_CLIENT, o.get("client_ip").asText());
        assertTrue(o.get("auth_token_fp").asText().matches("[0-9a-f]{32}"), line);
        assertTrue(o.get("request_headers").isArray());
      }
      n++;
    }
    assertEquals(truth.requests(), n);
    assertEquals(truth.unauthorized(), unauthorized);
  }

  @Test
  void streamsFromStdinWithCredentialsFingerprinted() throws Exception {
    Result r = run(Files.newInputStream(sample), "flow", "-r", "-", "-c", "host", SampleCapture.OFFENDING_CLIENT);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("010.000.003.007."), r.out().substring(0, 100));
    assertTrue(r.out().contains("\nAuthorization: fp:"));
    assertFalse(r.out().contains(truth.revokedToken()));
    assertFalse(r.out().contains("010.000.001."), "other clients filtered out");
    Result kept = run(Files.newInputStream(sample), "flow", "-r", "-", "--keep-secrets");
    assertTrue(kept.out().contains("Authorization: Bearer " + truth.revokedToken()));
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertEquals(2, run(null, "flow", "-r", dir.resolve("missing.pcap").toString()).code());
    Result bad = run(null, "flow", "-r", sample.toString(), "port", "x");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("bad filter"), bad.err());
  }

  /** The launcher's promise: flow runs with no Spark, Scala or Hadoop jar on the classpath, reading stdin. */
  @Test
  void runsWithoutSparkOnTheClasspath() throws Exception {
    List<String> cp = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.matches(".*/(org/apache/spark|org/scala-lang|org/apache/hadoop|org/apache/logging)/.*")) {
        cp.add(e);
      }
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Path out = dir.resolve("nospark.out");
    Process p = new ProcessBuilder(java.toString(), "-Dslf4j.internal.verbosity=ERROR", "-cp",
        String.join(File.pathSeparator, cp), "io.pcaplake.cli.Main", "flow", "-r", "-", "--http", "--stats")
        .redirectInput(sample.toFile()).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.PIPE)
        .start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), err);
    assertTrue(err.startsWith("pcaplake flow: 1 file(s), " + truth.packets() + " records"), err);
    // this child runs without the foreign-function module: the line says so, and why
    assertTrue(err.contains("gzip bodies: zlib (JDK): the JVM runs without --add-modules=jdk.incubator.foreign"), err);
    String text = Files.readString(out);
    assertEquals(truth.unauthorized(), text.split("\nHTTP/1.1 401 Unauthorized\n", -1).length - 1);
  }
}
