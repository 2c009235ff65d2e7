package io.pcaplake.spark.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver killed part-way: a child JVM runs {@code pcaplake ingest} and halts (as a {@code kill -9} would) at a
 * named point ({@value IngestJob#HALT_PROPERTY}). Before the commit point the lake is exactly as it was; after it,
 * the next run finishes the commit. Either way the next run leaves the same lake as an uninterrupted run.
 */
class IngestCrashTest {
  @TempDir Path dir;

  @Test
  void killedBeforeTheCommitPointLeavesTheLakeAsItWasAndTheNextRunDoesTheWork() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path lake = dir.resolve("lake");
    Batches.write(in, true, false);
    IngestJobTest.spark = TestSpark.get();
    IngestJobTest.ingest(IngestOptions.of(List.of(in.toString()), lake.toString()).withRunId("night"));
    Batches.write(in, false, true);
    List<String> before = IngestJobTest.lakeFiles(lake);
    String manifestBefore = manifests(lake);

    assertEquals(99, child(in, lake, "staged"));
    assertEquals(before, IngestJobTest.lakeFiles(lake), "a run killed before its commit point changes nothing");
    assertEquals(manifestBefore, manifests(lake));
    assertTrue(Files.isDirectory(lake.resolve("_pcaplake/staging/crash")), "the dead run's staging is left over");

    IngestSummary next = IngestJobTest.ingest(IngestOptions.of(List.of(in.toString()), lake.toString())
        .withRunId("next"));
    assertTrue(next.recovered().isEmpty());
    assertEquals(1, next.newFiles().size());
    assertFalse(Files.exists(lake.resolve("_pcaplake/staging/crash")), "discarded");
    assertSameAsOneRun(in, lake);
  }

  @Test
  void killedDuringTheCommitIsRolledForwardByTheNextRun() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path lake = dir.resolve("lake");
    Batches.write(in, true, false);
    IngestJobTest.spark = TestSpark.get();
    IngestJobTest.ingest(IngestOptions.of(List.of(in.toString()), lake.toString()).withRunId("night"));
    Batches.write(in, false, true);

    assertEquals(99, child(in, lake, "step-0"));
    assertTrue(Files.isRegularFile(lake.resolve("_pcaplake/journal/crash.journal")));

    IngestSummary next = IngestJobTest.ingest(IngestOptions.of(List.of(in.toString()), lake.toString())
        .withRunId("next"));
    assertEquals(List.of("crash"), next.recovered());
    assertFalse(next.committed(), "the killed run's commit recorded both files: nothing new");
    assertEquals(2, next.skipped().size());
    assertFalse(Files.exists(lake.resolve("_pcaplake/journal/crash.journal")));
    assertSameAsOneRun(in, lake);
  }

  @Test
  void localEngineKilledDuringTheCommitIsRolledForwardByTheNextRun() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path lake = dir.resolve("lake");
    Batches.write(in, true, true);
    IngestJobTest.spark = TestSpark.get();

    childOutput(in, lake, "step-1", "--engine", "local");
    assertTrue(Files.isRegularFile(lake.resolve("_pcaplake/journal/crash.journal")));

    IngestSummary next = IngestJobTest.ingest(IngestOptions.of(List.of(in.toString()), lake.toString())
        .withRunId("next"));
    assertEquals(List.of("crash"), next.recovered());
    assertFalse(next.committed(), "the killed run's commit recorded both files: nothing new");
    // The rows are the local engine's (ParquetTables names its part files after the run), rolled forward.
    try (var files = Files.walk(lake.resolve("flows"))) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().equals("part-00000-crash.snappy.parquet")));
    }
    assertSameAsOneRun(in, lake);
  }

  @Test
  void localEngineReplacingRowsKilledDuringTheCommitIsRolledForwardByTheNextRun() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path lake = dir.resolve("lake");
    Batches.write(in, true, false);
    IngestJobTest.spark = TestSpark.get();
    IngestSummary night = IngestJob.run(IngestJobTest.conf(), IngestOptions.of(List.of(in.toString()),
        lake.toString()).withRunId("night"), IngestEngineTest.NO_SPARK, IngestEngine.LOCAL,
        IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
    assertEquals("local (--engine local)", night.engine());
    Batches.write(in, false, true);

    // The morning run continues the night's open connection: its journal moves the new files in, then deletes the
    // night's rewritten files. Killed after its first step, the lake holds both for a moment.
    String out = childOutput(in, lake, "step-0", "--engine", "local");
    assertTrue(out.contains("halting at step-0"), out);
    String journal = Files.readString(lake.resolve("_pcaplake/journal/crash.journal"));
    assertTrue(journal.contains("part-00000-night.snappy.parquet"), "the night's files are to be deleted: " + journal);

    IngestSummary next = IngestJob.run(IngestJobTest.conf(), IngestOptions.of(List.of(in.toString()),
        lake.toString()).withRunId("next"), IngestEngineTest.NO_SPARK, IngestEngine.AUTO,
        IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
    assertEquals(List.of("crash"), next.recovered());
    assertFalse(next.committed(), "the killed run's commit recorded both files: nothing new");
    try (var files = Files.walk(lake.resolve("flows"))) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().equals("part-00000-night.snappy.parquet")));
    }
    assertSameAsOneRun(in, lake);
  }

  private void assertSameAsOneRun(Path in, Path lake) throws IOException {
    Path once = dir.resolve("once");
    IngestJobTest.ingest(IngestOptions.of(List.of(in.toString()), once.toString()).withRunId("once"));
    for (String t : List.of("flows", "http", "anomalies")) {
      assertEquals(IngestJobTest.rows(once, t), IngestJobTest.rows(lake, t), t);
    }
  }

  private static String manifests(Path lake) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String f : IngestJobTest.lakeFiles(lake)) {
      if (f.startsWith("_pcaplake/manifest/") && f.endsWith(".tsv")) {
        sb.append(f).append('\n').append(Files.readString(lake.resolve(f)));
      }
    }
    return sb.toString();
  }

  /** Runs {@code pcaplake ingest IN --lake LAKE --run-id crash} in a child JVM halting at {@code point}. */
  private static int child(Path in, Path lake, String point) throws IOException, InterruptedException {
    String[] rc = new String[1];
    childOutput(rc, in, lake, point);
    return Integer.parseInt(rc[0]);
  }

  /** As {@link #child}, with more ingest options; asserts it halted (exit 99) and returns its output. */
  private static String childOutput(Path in, Path lake, String point, String... more)
      throws IOException, InterruptedException {
    String[] rc = new String[1];
    String out = childOutput(rc, in, lake, point, more);
    assertEquals("99", rc[0], out);
    return out;
  }

  private static String childOutput(String[] rc, Path in, Path lake, String point, String... more)
      throws IOException, InterruptedException {
    Process p = ChildIngest.command(in, lake, "crash", List.of("-D" + IngestJob.HALT_PROPERTY + "=" + point), more)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    rc[0] = String.valueOf(p.waitFor());
    assertTrue(out.contains("halting at " + point), out);
    return out;
  }
}
