package io.pcaplake.spark.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.pcaplake.TestSpark;
import io.pcaplake.spark.flows.TableSchemas;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.SampleCapture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A driver killed at a random moment of its write: a child JVM runs {@code pcaplake ingest} (Spark engine, then
 * local engine) on a lake that already holds a first run, and gets SIGKILL ({@link Process#destroyForcibly}) after a
 * random delay drawn from the window in which it writes: from the first file under its staging folder to its exit,
 * measured by an unkilled run of the same engine first. After every kill the lake reads through Spark SQL and holds
 * either the state before the run or, when the commit was complete, the state of a clean run: never a mix, never a
 * duplicate. A kill inside the commit (a journal left, the documented window of {@code docs/lake.md}) is rolled
 * forward by the next run. The next run (unkilled) always leaves the tables of one clean run over all the inputs,
 * and the manifest lists every file once.
 *
 * <p>The delays come from a seeded {@link Random}; the seed is in every failure message and
 * {@code -Dpcaplake.test.killSeed=N} repeats it.
 */
class IngestRandomKillTest {
  private static final String RUN = "crash";
  private static final int SPARK_KILLS = 1;
  private static final int LOCAL_KILLS = 3;
  @TempDir Path dir;

  private Path in;
  private Map<String, List<String>> clean;
  private String seedNote;

  @Test
  void killedAtRandomPointsOfTheWriteLeavesTheLakeBeforeOrAfterAndTheNextRunCompletesIt() throws Exception {
    long seed = Long.getLong("pcaplake.test.killSeed", System.nanoTime());
    seedNote = "kill seed " + seed + " (-Dpcaplake.test.killSeed=" + seed + " repeats the delays)";
    Random random = new Random(seed);
    IngestJobTest.spark = TestSpark.get();
    in = Files.createDirectories(dir.resolve("in"));
    Batches.write(in, true, true);
    // A bigger third file (an hour of the demo API: HTTP on a few hundred connections), so that the write takes a
    // while.
    Instant start = Instant.parse("2024-03-12T08:00:00Z");
    SampleCapture.write(in.resolve("sample.pcap"), Format.PCAP,
        new SampleCapture.Options(seed, start, Duration.ofHours(1), 3, start.plus(Duration.ofMinutes(30))));
    Path once = dir.resolve("once");
    ingest(List.of(in.toString()), once, "once");
    clean = snapshot(once);
    assertFalse(clean.get("flows").isEmpty());

    // The lake holds the night; the run reads the morning (which continues an open connection of the night: rows
    // replaced, lake files rewritten and deleted at the commit) and the sample. Both engines do that.
    Path base = base("base", Batches.NIGHT);
    List<String> outcomes = new ArrayList<>();
    outcomes.addAll(killRuns(base, "spark", SPARK_KILLS, random));
    outcomes.addAll(killRuns(base, "local", LOCAL_KILLS, random));
    System.out.println("IngestRandomKillTest " + seedNote + ": " + outcomes);
  }

  /** One unkilled run to measure the write window, then {@code kills} runs killed inside it. */
  private List<String> killRuns(Path base, String engine, int kills, Random random) throws Exception {
    Map<String, List<String>> before = snapshot(base);
    List<String> outcomes = new ArrayList<>();
    long t00 = System.nanoTime();
    Path lake = copy(base, dir.resolve(engine + "-measure"));
    Path log = dir.resolve(engine + "-measure.log");
    Process p = ChildIngest.start(in, lake, RUN, log, List.of(), "--engine", engine);
    awaitStaging(p, lake, log);
    long t0 = System.nanoTime();
    assertEquals(0, p.waitFor(), Files.readString(log));
    long window = Math.max(1, (System.nanoTime() - t0) / 1_000_000);
    String out = Files.readString(log);
    assertTrue(out.contains("engine:           " + engine + " (--engine " + engine + ")"), out);
    assertEquals(clean, snapshot(lake), engine + ": an unkilled run gives the tables of one clean run");
    assertManifestListsEachFileOnce(lake, engine + " unkilled");
    outcomes.add(engine + ": write window " + window + " ms, unkilled run " + (System.nanoTime() - t00) / 1_000_000
        + " ms");

    for (int i = 0; i < kills; i++) {
      long delay = (long) (random.nextDouble() * window);
      String what = engine + " kill " + i + " at " + delay + " ms of a " + window + " ms window, " + seedNote;
      long t1 = System.nanoTime();
      lake = copy(base, dir.resolve(engine + "-kill-" + i));
      log = dir.resolve(engine + "-kill-" + i + ".log");
      p = ChildIngest.start(in, lake, RUN, log, List.of(), "--engine", engine);
      awaitStaging(p, lake, log);
      Thread.sleep(delay);
      boolean finished = !p.isAlive();
      p.destroyForcibly();
      int rc = p.waitFor();
      if (finished && rc != 0) {
        fail(what + ": the child failed by itself (exit " + rc + ")\n" + Files.readString(log));
      }

      boolean midCommit = Files.exists(lake.resolve("_pcaplake/journal/" + RUN + ".journal"));
      Map<String, List<String>> after;
      try {
        after = snapshot(lake);
      } catch (RuntimeException e) {
        throw new AssertionError(what + ": the lake is not readable after the kill", e);
      }
      String state;
      if (midCommit) {
        state = "killed inside the commit (journal left)";
      } else if (after.equals(before)) {
        state = "before";
      } else if (after.equals(clean)) {
        state = "after";
        assertManifestListsEachFileOnce(lake, what);
      } else {
        fail(what + ": the lake is neither as before the run nor as after it (no journal left)\n"
            + differences(before, after, "before") + differences(clean, after, "after"));
        return outcomes;
      }

      IngestSummary next = ingest(List.of(in.toString()), lake, "next" + i);
      assertEquals(midCommit ? List.of(RUN) : List.of(), next.recovered(), what + ", " + state);
      if (state.equals("before")) {
        assertTrue(next.committed(), what + ": the files are still new after a kill before the commit point");
      } else {
        assertFalse(next.committed(), what + ": the killed run's commit recorded every file");
      }
      assertEquals(clean, snapshot(lake), what + ", " + state + ": the next run completes the lake");
      assertManifestListsEachFileOnce(lake, what);
      assertFalse(Files.exists(lake.resolve("_pcaplake/lock")), what);
      assertFalse(Files.exists(lake.resolve("_pcaplake/staging/" + RUN)), what + ": the dead run's staging is gone");
      outcomes.add(engine + " " + delay + " ms: " + state + (finished ? " (had exited)" : "") + ", next run "
          + next.engine() + ", iteration " + (System.nanoTime() - t1) / 1_000_000 + " ms");
    }
    return outcomes;
  }

  /** A lake holding one in-process run over {@code files} of {@link #in}. */
  private Path base(String name, String... files) throws IOException {
    Path lake = dir.resolve(name);
    List<String> paths = Stream.of(files).map(f -> in.resolve(f).toString()).collect(Collectors.toList());
    ingest(paths, lake, "first");
    return lake;
  }

  /** An ingest in this JVM with the engine auto picks (local for these small inputs under a local master). */
  private static IngestSummary ingest(List<String> inputs, Path lake, String runId) throws IOException {
    return IngestJob.run(IngestJobTest.conf(), IngestOptions.of(inputs, lake.toString()).withRunId(runId),
        () -> IngestJobTest.spark, IngestEngine.AUTO, IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
  }

  /**
   * Waits until the child has written a first file under its staging folder (or, on a fast machine, already
   * committed: its manifest file is in place); fails when it exits without either.
   */
  private static void awaitStaging(Process p, Path lake, Path log) throws Exception {
    Path staging = lake.resolve("_pcaplake/staging/" + RUN);
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (hasFile(staging) || committed(lake)) {
        return;
      }
      if (!p.isAlive()) {
        fail("the child exited (" + p.exitValue() + ") before writing to its staging folder\n"
            + Files.readString(log));
      }
      Thread.sleep(5);
    }
    p.destroyForcibly();
    throw new AssertionError("no staging file after 300 s\n" + Files.readString(log));
  }

  private static boolean committed(Path lake) {
    try (Stream<Path> s = Files.list(lake.resolve("_pcaplake/manifest"))) {
      return s.anyMatch(f -> f.getFileName().toString().endsWith("-" + RUN + ".tsv"));
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  private static boolean hasFile(Path d) {
    if (!Files.isDirectory(d)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(d)) {
      return s.anyMatch(Files::isRegularFile);
    } catch (IOException | UncheckedIOException e) {
      return false;  // a folder moved or deleted while walking: look again
    }
  }

  /** The tables as sorted rows; {@code captures} without {@code ingest_run} (it names the run). */
  private static Map<String, List<String>> snapshot(Path lake) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String t : List.of("flows", "http", "anomalies")) {
      m.put(t, IngestJobTest.rows(lake, t));
    }
    m.put("captures", IngestJobTest.spark.read().schema(TableSchemas.of("captures"))
        .parquet(lake.resolve("captures").toString()).drop("ingest_run").collectAsList().stream()
        .map(Row::toString).sorted().collect(Collectors.toList()));
    return m;
  }

  /** Every file of the input in exactly one {@code file} line of the manifest files, nothing else. */
  private void assertManifestListsEachFileOnce(Path lake, String what) throws IOException {
    Map<String, Integer> count = new TreeMap<>();
    try (Stream<Path> s = Files.list(lake.resolve("_pcaplake/manifest"))) {
      for (Path f : s.filter(x -> x.toString().endsWith(".tsv")).collect(Collectors.toList())) {
        for (String line : Files.readAllLines(f)) {
          if (line.startsWith("file\t")) {
            String path = line.split("\t")[1];
            count.merge(path.substring(path.lastIndexOf('/') + 1), 1, Integer::sum);
          }
        }
      }
    }
    assertEquals(Map.of(Batches.NIGHT, 1, Batches.MORNING, 1, "sample.pcap", 1), count, what + ": manifest");
  }

  private static String differences(Map<String, List<String>> expected, Map<String, List<String>> got,
                                    String name) {
    StringBuilder sb = new StringBuilder();
    for (String t : expected.keySet()) {
      List<String> e = expected.get(t);
      List<String> g = got.get(t);
      if (!e.equals(g)) {
        List<String> missing = new ArrayList<>(e);
        g.forEach(missing::remove);
        List<String> extra = new ArrayList<>(g);
        e.forEach(extra::remove);
        sb.append(String.format("vs %s, %s: %d rows, expected %d; %d missing, %d extra%n", name, t, g.size(),
            e.size(), missing.size(), extra.size()));
      }
    }
    return sb.toString();
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.collect(Collectors.toList())) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    return to;
  }
}
