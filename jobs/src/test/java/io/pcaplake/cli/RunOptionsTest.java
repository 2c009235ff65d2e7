package io.pcaplake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code flows} and {@code ingest} take the five run options of {@link RunOptions} the same way. */
class RunOptionsTest {
  @TempDir Path dir;

  @Test
  void flowsAndIngestParseTheSharedOptionsAlike() {
    for (List<String> cmd : List.of(List.of("flows", "--out", "o"), List.of("ingest", "--lake", "l"))) {
      CommandLine cl = new CommandLine(new Main());
      List<String> args = new java.util.ArrayList<>(cmd);
      args.addAll(List.of("in", "--filter", "dst port 8000", "--split-size", "64k", "--run-id", "night1",
          "--keep-secrets", "--extract-bodies", "bodies"));
      CommandLine.ParseResult parsed = cl.parseArgs(args.toArray(String[]::new));
      Object command = parsed.subcommand().commandSpec().userObject();
      RunOptions r = command instanceof FlowsCommand f ? f.runOptions : ((IngestCommand) command).runOptions;
      assertEquals("dst port 8000", r.filter, cmd.get(0));
      assertEquals(65536L, r.splitSize, cmd.get(0));
      assertEquals("night1", r.runId, cmd.get(0));
      assertTrue(r.keepSecrets, cmd.get(0));
      assertEquals("bodies", r.extractBodies, cmd.get(0));
    }
  }

  @Test
  void ingestBadFilterExitsWithTwoAndThePosition() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = Main.execute("ingest", dir.toString(), "--lake", dir.resolve("lake").toString(), "--filter",
          "tcp port x");
    } finally {
      System.setErr(old);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, code, text);
    assertTrue(text.contains("pcaplake ingest: bad --filter"), text);
    assertTrue(text.contains("tcp port x\n         ^"), text);
    assertFalse(Files.exists(dir.resolve("lake")), "nothing written");
  }
}
