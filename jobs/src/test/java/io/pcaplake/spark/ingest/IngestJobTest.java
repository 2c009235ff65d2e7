package io.pcaplake.spark.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestSpark;
import io.pcaplake.lake.LakeLock;
import io.pcaplake.lake.LakePaths;
import io.pcaplake.lake.Manifest;
import io.pcaplake.spark.flows.TableSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lake's promises, on captures written by the synthesizer ({@link Batches}): a connection spanning two
 * batches is one row with all its exchanges; an unchanged archive is not read again; re-ingesting replaces rows;
 * an unreadable file is a captures row and an anomaly; a second writer is refused while the lock is held.
 */
class IngestJobTest {
  static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void session() {
    spark = TestSpark.get();
  }

  static Configuration conf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  static IngestSummary ingest(IngestOptions o) throws IOException {
    return IngestJob.run(conf(), o, () -> spark);
  }

  static Dataset<Row> table(Path lake, String table) {
    return spark.read().schema(TableSchemas.of(table)).parquet(lake.resolve(table).toString());
  }

  /** Every row of a table as text, sorted (a multiset: duplicates show). */
  static List<String> rows(Path lake, String table) {
    return table(lake, table).collectAsList().stream().map(Row::toString).sorted().collect(Collectors.toList());
  }

  @Test
  void connectionSpanningTwoBatchesIsOneRowWithAllItsExchanges() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path lake = dir.resolve("lake");
    Batches.write(in, true, false);
    IngestSummary first = ingest(IngestOptions.of(List.of(in.toString()), lake.toString()).withRunId("night"));
    assertEquals(1, first.newFiles().size());
    assertEquals(2, first.connections());
    assertEquals(1 + Batches.FIRST, first.httpExchanges());
    // The keep-alive connection is open at the end of the night: its file is context for the next run.
    Manifest m = Manifest.load(FileSystem.get(lake.toUri(), conf()), LakePaths.of(lake.toString()));
    assertEquals(1, m.context().size(), m.context().toString());
    assertTrue(m.context().iterator().next().endsWith(Batches.NIGHT));

    Batches.write(in, false, true);
    IngestSummary second = ingest(IngestOptions.of(List.of(in.toString()), lake.toString()).withRunId("morning"));
    assertEquals(1, second.newFiles().size(), second.toString());
    assertEquals(1, second.skipped().size());
    assertEquals(1, second.context().size());
    assertEquals(2, second.connections(), "the continued connection and the morning's own");
    assertEquals(1, second.replacedConnections(), "the night's row of the continued connection");
    assertEquals(Batches.FIRST + Batches.SECOND + 1, second.httpExchanges());

    Dataset<Row> flows = table(lake, "flows");
    assertEquals(3, flows.count(), rows(lake, "flows").toString());
    Row keep = flows.filter("client_port = 40000").collectAsList().get(0);
    assertEquals(Batches.FIRST + Batches.SECOND, keep.getInt(keep.fieldIndex("http_exchanges")));
    assertEquals("SF", keep.getString(keep.fieldIndex("conn_state")));
    assertEquals(2, keep.getList(keep.fieldIndex("capture_files")).size());
    String id = keep.getString(keep.fieldIndex("flow_id"));
    List<Row> exchanges = table(lake, "http").filter(org.apache.spark.sql.functions.col("flow_id").equalTo(id))
        .orderBy("exchange_index").collectAsList();
    assertEquals(Batches.FIRST + Batches.SECOND, exchanges.size());
    for (int i = 0; i < exchanges.size(); i++) {
      Row x = exchanges.get(i);
      assertEquals(i, x.getInt(x.fieldIndex("exchange_index")));
      assertEquals(i < Batches.FIRST ? "/a" + i : "/b" + (i - Batches.FIRST), x.getString(x.fieldIndex("path")));
    }
    assertEquals(1 + Batches.FIRST + Batches.SECOND + 1, table(lake, "http").count());

    // The same lake as one run over both files: identical tables.
    Path once = dir.resolve("once");
    ingest(IngestOptions.of(List.of(in.toString()), once.toString()).withRunId("once"));
    for (String t : List.of("flows", "http", "anomalies")) {
      assertEquals(rows(once, t), rows(lake, t), t);
    }
    // Nothing is open any more: no context for the next run.
    assertTrue(Manifest.load(FileSystem.get(lake.toUri(), conf()), LakePaths.of(lake.toString())).context()
        .isEmpty());
    // captures: one row per file, each from the run that read it.
    Map<String, String> runs = table(lake, "captures").collectAsList().stream().collect(Collectors.toMap(
        r -> Path.of(r.getString(0).replaceFirst("^file:", "")).getFileName().toString(), r -> r.getString(10)));
    assertEquals(Map.of(Batches.NIGHT, "night", Batches.MORNING, "morning"), runs);
    assertTrue(Files.isRegularFile(lake.resolve("reports/morning/report.xml")));
    assertFalse(Files.exists(lake.resolve("_pcaplake/staging/morning")));
    assertFalse(Files.exists(lake.resolve("_pcaplake/lock")));
  }

  @Test
  void unchangedArchiveIsNotReadAgainAndReingestReplacesRows() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path lake = dir.resolve("lake");
    Batches.write(in, true, true);
    IngestOptions o = IngestOptions.of(List.of(in.toString()), lake.toString()).withSha256(true);
    IngestSummary s1 = ingest(o.withRunId("r1"));
    assertEquals(2, s1.newFiles().size());
    List<String> flows = rows(lake, "flows");
    List<String> http = rows(lake, "http");
    List<String> anomalies = rows(lake, "anomalies");
    assertEquals(3, flows.size());

    // Unchanged: no Spark at all (the session supplier would fail), nothing written.
    Supplier<SparkSession> none = () -> {
      throw new AssertionError("an up-to-date lake must not start Spark");
    };
    IngestSummary s2 = IngestJob.run(conf(), o.withRunId("r2"), none);
    assertFalse(s2.committed());
    assertEquals(2, s2.skipped().size());
    assertFalse(Files.exists(lake.resolve("reports/r2")));

    // --reingest: the same rows, not twice.
    IngestSummary s3 = ingest(o.withRunId("r3").withReingest(true));
    assertEquals(2, s3.reingested().size());
    assertEquals(3, s3.replacedConnections());
    assertEquals(flows, rows(lake, "flows"));
    assertEquals(http, rows(lake, "http"));
    assertEquals(anomalies, rows(lake, "anomalies"));
    List<Row> captures = table(lake, "captures").collectAsList();
    assertEquals(2, captures.size());
    for (Row c : captures) {
      assertEquals("r3", c.getString(c.fieldIndex("ingest_run")));
      assertEquals("pcap", c.getString(c.fieldIndex("format")));
      assertEquals(List.of(1), c.getList(c.fieldIndex("link_types")));
      assertEquals(c.getLong(c.fieldIndex("packets")), c.getLong(c.fieldIndex("records_ok")));
      assertEquals(0L, c.getLong(c.fieldIndex("records_bad")));
      Path f = Path.of(java.net.URI.create(c.getString(0).replaceFirst("^file:/+", "file:///")));
      assertEquals(Files.size(f), c.getLong(c.fieldIndex("bytes")));
      assertEquals(Manifest.sha256(FileSystem.getLocal(conf()), new org.apache.hadoop.fs.Path(f.toUri())),
          c.getString(c.fieldIndex("sha256")));
      assertTrue(c.getTimestamp(c.fieldIndex("first_ts")).before(c.getTimestamp(c.fieldIndex("last_ts"))));
    }

    // A changed file (rewritten with other content) replaces its rows: the morning file now lacks the late conn.
    Files.delete(in.resolve(Batches.MORNING));
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Batches.write(tmp, false, true);
    byte[] morning = Files.readAllBytes(tmp.resolve(Batches.MORNING));
    Files.write(in.resolve(Batches.MORNING), java.util.Arrays.copyOf(morning, morning.length - 200));
    IngestSummary s4 = ingest(o.withRunId("r4"));
    assertEquals(1, s4.reingested().size(), s4.toString());
    List<String> after = rows(lake, "flows");
    assertEquals(3, after.size(), after.toString());
    assertEquals(after.stream().distinct().count(), after.size());
  }

  @Test
  void extractBodiesWritesOneFilePerResponseBodyNamedByItsRow() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path lake = dir.resolve("lake");
    Path bodies = dir.resolve("bodies");
    Batches.write(in, true, true);
    IngestOptions d = IngestOptions.of(List.of(in.toString()), lake.toString());
    IngestSummary s = ingest(new IngestOptions(d.inputs(), d.lake(), "", null, "bodies", "", null, null, false, false,
        false, false, null, null, false, bodies.toString()));
    assertEquals(2, s.newFiles().size());
    // One file per response with a body, named <flow_id>-HTTPBODY-<exchange_index>.<ext>, and nothing else.
    List<String> expected = table(lake, "http").filter("response_body_bytes > 0")
        .selectExpr("concat(flow_id, '-HTTPBODY-', lpad(cast(exchange_index AS string), 3, '0'))").collectAsList()
        .stream().map(r -> r.getString(0)).sorted().collect(Collectors.toList());
    List<String> written;
    try (Stream<Path> files = Files.list(bodies)) {
      written = files.map(p -> p.getFileName().toString()).map(n -> n.substring(0, n.lastIndexOf('.')))
          .sorted().collect(Collectors.toList());
    }
    assertFalse(expected.isEmpty(), "the batches carry response bodies");
    assertEquals(expected, written);
  }

  @Test
  void unreadableFileIsACapturesRowAndAnAnomalyAndTheRestIsIngested() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Batches.write(in, true, true);
    Files.copy(in.resolve(Batches.NIGHT), in.resolve("unreadable.pcap"));
    Path lake = dir.resolve("lake");
    conf().set("fs.pickyfs.impl", PickyFileSystem.class.getName());
    conf().set("fs.pickyfs.impl.disable.cache", "true");
    // Files named one by one (Hadoop's recursive listing does not work on a renamed local file system).
    List<String> files = Stream.of(Batches.NIGHT, Batches.MORNING, "unreadable.pcap")
        .map(f -> "pickyfs://" + in.resolve(f)).toList();
    IngestSummary s = ingest(IngestOptions.of(files, lake.toString()).withRunId("u"));
    assertEquals(2, s.newFiles().size());
    assertEquals(1, s.unreadable().size());
    assertEquals(Map.of("capture.io_error", 1L), s.anomalies());
    assertEquals(3, table(lake, "flows").count());
    List<Row> bad = table(lake, "captures").filter("format = 'unreadable'").collectAsList();
    assertEquals(1, bad.size());
    assertTrue(bad.get(0).getString(0).endsWith("unreadable.pcap"));
    Row a = table(lake, "anomalies").collectAsList().get(0);
    assertEquals("capture.io_error", a.getString(a.fieldIndex("reason")));
    assertTrue(a.getString(a.fieldIndex("detail")).contains("injected"), a.toString());
    // Not in the manifest: the next run tries it again (and it is still unreadable: still one row of each).
    IngestSummary again = ingest(IngestOptions.of(files, lake.toString()).withRunId("u2"));
    assertEquals(1, again.unreadable().size());
    assertEquals(2, again.skipped().size());
    assertEquals(1, table(lake, "captures").filter("format = 'unreadable'").count());
    assertEquals(1, table(lake, "anomalies").count());
  }

  @Test
  void packetsTableOnRequestOneRowPerRecordNotDuplicatedByReingest() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path lake = dir.resolve("lake");
    Batches.write(in, true, true);
    IngestOptions o = IngestOptions.of(List.of(in.toString()), lake.toString()).withPackets(true);
    IngestSummary s = ingest(o.withRunId("p1"));
    Dataset<Row> packets = spark.read().parquet(lake.resolve("packets").toString());
    assertEquals(s.packets(), packets.count());
    assertEquals(List.of("2026-01-01"), packets.select("dt").distinct().collectAsList().stream()
        .map(r -> r.get(0).toString()).toList());
    ingest(o.withRunId("p2").withReingest(true));
    assertEquals(s.packets(), spark.read().parquet(lake.resolve("packets").toString()).count());
  }

  @Test
  void aSecondWriterIsRefusedWhileTheLockIsHeldAndAStaleLockIsBroken() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Batches.write(in, true, false);
    Path lake = dir.resolve("lake");
    FileSystem fs = FileSystem.getLocal(conf());
    LakePaths paths = new LakePaths(fs.makeQualified(new org.apache.hadoop.fs.Path(lake.toString())));
    IngestOptions o = IngestOptions.of(List.of(in.toString()), lake.toString()).withRunId("second");
    try (LakeLock held = LakeLock.acquire(fs, paths, "first", Duration.ZERO, LakeLock.DEFAULT_STALE_AFTER)) {
      LakeLock.LockedException e = assertThrows(LakeLock.LockedException.class, () -> ingest(o));
      assertTrue(e.getMessage().contains("locked by run first"), e.getMessage());
      assertTrue(e.getMessage().contains("--wait"), e.getMessage());
      long t = System.nanoTime();
      assertThrows(LakeLock.LockedException.class, () -> ingest(o.withWait(Duration.ofSeconds(1))));
      assertTrue(System.nanoTime() - t >= 1_000_000_000L, "waited");
      assertFalse(Files.exists(lake.resolve("flows")), "nothing written while locked");
    }
    // A lock left by a dead process on this host is stale.
    Files.writeString(lake.resolve("_pcaplake/lock"), "run=dead\nhost=" + java.net.InetAddress.getLocalHost()
        .getHostName() + "\npid=" + deadPid() + "\nsince=" + java.time.Instant.now() + "\n");
    IngestSummary s = ingest(o);
    assertTrue(s.committed());
    assertNull(LakeLock.read(fs, paths.lock()));
  }

  /** A pid that is not running (a finished child process's). */
  static long deadPid() throws IOException {
    try {
      Process p = new ProcessBuilder("true").start();
      p.waitFor();
      return p.pid();
    } catch (InterruptedException e) {
      throw new IOException(e);
    }
  }

  static List<String> lakeFiles(Path lake) throws IOException {
    try (Stream<Path> s = Files.walk(lake)) {
      List<String> l = new ArrayList<>();
      s.filter(Files::isRegularFile).map(p -> lake.relativize(p).toString())
          .filter(p -> !p.startsWith("_pcaplake/lock") && !p.startsWith("_pcaplake/staging")).sorted()
          .forEach(l::add);
      return l;
    }
  }
}
