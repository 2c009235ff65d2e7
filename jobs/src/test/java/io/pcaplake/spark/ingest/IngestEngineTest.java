package io.pcaplake.spark.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pcaplake.TestSpark;
import io.pcaplake.lake.LakePaths;
import io.pcaplake.lake.Manifest;
import io.pcaplake.spark.flows.TableSchemas;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.SampleCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest --engine spark|local|auto}: the local engine writes the same lake as Spark (every table row for row,
 * same schemas, report, manifest) without a SparkSession; auto picks local for a small run and says why, Spark when
 * the input is over the limit or the run replaces rows in the lake; a run with nothing new is a no-op.
 */
class IngestEngineTest {
  static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void session() {
    spark = TestSpark.get();
  }

  static Configuration conf() {
    return spark.sparkContext().hadoopConfiguration();
  }

  /** A session supplier that fails the test when asked: the local engine must not start Spark. */
  static final Supplier<SparkSession> NO_SPARK = () -> {
    throw new AssertionError("the local engine asked for a SparkSession");
  };

  static IngestSummary ingest(List<String> inputs, Path lake, IngestEngine engine, long max) throws IOException {
    return ingest(inputs, lake, engine, max, UnaryOperator.identity());
  }

  static IngestSummary ingest(List<String> inputs, Path lake, IngestEngine engine, long max,
                              UnaryOperator<IngestOptions> options) throws IOException {
    IngestOptions o = options.apply(IngestOptions.of(inputs, lake.toString()).withRunId("r1"));
    return IngestJob.run(conf(), o, engine == IngestEngine.SPARK ? () -> spark : NO_SPARK, engine, max);
  }

  /** The tables both engines must write equal: the four, and packets with --packets. */
  static List<String> tables(boolean packets) {
    List<String> t = new ArrayList<>(IngestJob.TABLES);
    if (packets) {
      t.add("packets");
    }
    return t;
  }

  @Test
  void sampleAndSpanningConnectionGiveTheSameLakeWithBothEngines() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    SampleCapture.write(in.resolve("sample.pcapng"), Format.PCAPNG);
    Batches.write(in, true, true);
    List<String> inputs = List.of(in.toString());
    assertSameLakes(inputs, 3);
    // The spanning connection is one row with both files in both lakes.
    assertEquals(1, table(dir.resolve("local"), "flows").filter("size(capture_files) = 2").count());
  }

  @Test
  void sharedCapturesGiveTheSameLakeWithBothEngines() throws IOException {
    String shared = System.getProperty("pcaplake.shared");
    assumeTrue(shared != null, "system property pcaplake.shared not set: shared captures skipped");
    Path pcaps = Path.of(shared, "pcaps");
    assumeTrue(Files.isDirectory(pcaps), "no " + pcaps + ": shared captures skipped");
    List<String> inputs = new ArrayList<>();
    try (Stream<Path> files = Files.list(pcaps)) {
      // A few of each kind: the smallest HTTP captures, a malformed one, a compressed one, a pcapng.
      files.filter(Files::isRegularFile)
          .filter(f -> f.getFileName().toString().matches("(http-|malformed-|pcapng-).*"))
          .sorted(Comparator.comparingLong(IngestEngineTest::size)).limit(8)
          .forEach(f -> inputs.add(f.toString()));
    }
    assertTrue(inputs.size() >= 4, "shared captures: " + inputs);
    assertSameLakes(inputs, inputs.size(), o -> o.withPackets(true), "");
  }

  @Test
  void packetsTableIsTheSameWithBothEnginesWithAndWithoutFilter() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    SampleCapture.write(in.resolve("sample.pcapng"), Format.PCAPNG);
    Batches.write(in, true, true);
    MixedPorts m = MixedPorts.write(in);
    List<String> inputs = List.of(in.toString());
    assertSameLakes(inputs, 4, o -> o.withPackets(true), "");
    long all = table(dir.resolve("local"), "packets").count();
    assertEquals(ingestedPackets(dir.resolve("local")), all, "one packets row per record");
    // --filter: both engines keep the same records, those of the connections the filter keeps.
    assertSameLakes(inputs, 4, o -> o.withPackets(true).withFilter("port 8000"), "-port8000");
    Dataset<Row> kept = table(dir.resolve("local-port8000"), "packets");
    assertEquals(m.indexes("tcp8000", "udp8000", "cut8000").size(),
        kept.filter("capture_file like '%" + MixedPorts.FILE + "'").count(), "mixed.pcap rows kept");
    assertEquals(kept.count(), kept.filter("src_port = 8000 or dst_port = 8000").count(), "only port 8000");
    assertTrue(kept.count() > 1000 && kept.count() < all, kept.count() + " of " + all);
  }

  @Test
  void packetsRowsOfAReingestedFileAreReplacedByBothEngines() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Batches.write(in, true, true);
    MixedPorts.write(in);
    both(List.of(in.toString()), "r1", false, o -> o.withPackets(true));
    assertSameTables(true);
    long rows = table(dir.resolve("local"), "packets").count();
    // Re-ingest one file: its packets rows are replaced (by capture_file), the other files' rows are copied over.
    Pair again = both(List.of(in.resolve(Batches.MORNING).toString()), "r2", true, o -> o.withPackets(true));
    assertEquals(1, again.local().reingested().size());
    assertSameTables(true);
    assertEquals(rows, table(dir.resolve("local"), "packets").count(), "no packets row duplicated or lost");
    // A lake Spark wrote, re-ingested by the local engine with --packets: the same lake.
    Path mixed = dir.resolve("mixed");
    IngestJob.run(conf(), IngestOptions.of(List.of(in.toString()), mixed.toString()).withRunId("r1")
        .withPackets(true), () -> spark, IngestEngine.SPARK, IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
    IngestJob.run(conf(), IngestOptions.of(List.of(in.resolve(Batches.MORNING).toString()), mixed.toString())
        .withRunId("r2").withReingest(true).withPackets(true), NO_SPARK, IngestEngine.LOCAL,
        IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
    for (String t : tables(true)) {
      assertEquals(rows(dir.resolve("spark"), t), rows(mixed, t), t + " rows");
    }
  }

  private static long ingestedPackets(Path lake) {
    return table(lake, "captures").selectExpr("sum(packets)").first().getLong(0);
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void assertSameLakes(List<String> inputs, int files) throws IOException {
    assertSameLakes(inputs, files, UnaryOperator.identity(), "");
  }

  /** Lakes {@code dir/spark<suffix>} and {@code dir/local<suffix>}, one run each with {@code options}. */
  private void assertSameLakes(List<String> inputs, int files, UnaryOperator<IngestOptions> options, String suffix)
      throws IOException {
    Path sparkLake = dir.resolve("spark" + suffix);
    Path localLake = dir.resolve("local" + suffix);
    IngestSummary s = ingest(inputs, sparkLake, IngestEngine.SPARK, IngestEngine.DEFAULT_LOCAL_MAX_BYTES, options);
    IngestSummary l = ingest(inputs, localLake, IngestEngine.LOCAL, IngestEngine.DEFAULT_LOCAL_MAX_BYTES, options);
    boolean packets = options.apply(IngestOptions.of(inputs, "x")).packets();
    assertEquals("spark (--engine spark)", s.engine());
    assertEquals("local (--engine local)", l.engine());
    assertEquals(files, l.newFiles().size());
    assertEquals(s.connections(), l.connections(), "connections");
    assertEquals(s.httpExchanges(), l.httpExchanges(), "http exchanges");
    assertEquals(s.packets(), l.packets(), "packets");
    assertEquals(s.anomalies(), l.anomalies(), "anomalies by reason");
    for (String t : tables(packets)) {
      assertEquals(rows(sparkLake, t), rows(localLake, t), t + " rows");
      boolean files1 = hasParquet(sparkLake.resolve(t));
      assertEquals(files1, hasParquet(localLake.resolve(t)), t + ": both engines wrote rows or neither");
      if (files1) {
        Dataset<Row> a = spark.read().parquet(sparkLake.resolve(t).toString());
        Dataset<Row> b = spark.read().parquet(localLake.resolve(t).toString());
        assertEquals(shape(a.schema()), shape(b.schema()), t + " schema");
      }
    }
    FileSystem fs = FileSystem.get(sparkLake.toUri(), conf());
    Manifest ms = Manifest.load(fs, LakePaths.of(sparkLake.toString()));
    Manifest ml = Manifest.load(fs, LakePaths.of(localLake.toString()));
    assertEquals(ms.context(), ml.context(), "next run's context files");
    assertSameReports(sparkLake, localLake, "r1");
    assertFalse(Files.exists(localLake.resolve("_pcaplake/staging/r1")));
    assertFalse(Files.exists(localLake.resolve("_pcaplake/lock")));

    // Nothing new: a no-op with either engine, Spark not asked for.
    for (Path lake : List.of(sparkLake, localLake)) {
      for (IngestEngine e : IngestEngine.values()) {
        IngestOptions o = options.apply(IngestOptions.of(inputs, lake.toString())).withRunId("r2");
        IngestSummary again = IngestJob.run(conf(), o, NO_SPARK, e, IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
        assertFalse(again.committed(), e + " " + lake);
        assertEquals(files, again.skipped().size());
      }
      assertFalse(Files.exists(lake.resolve("reports/r2")));
    }
  }

  @Test
  void autoPicksLocalForSmallNewInputAndSparkOtherwise() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Batches.write(in, true, false);
    List<String> inputs = List.of(in.toString());
    IngestSummary small = ingest(inputs, dir.resolve("a"), IngestEngine.AUTO, IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
    assertTrue(small.engine().matches("local \\([0-9.]+ KiB of new input < 1 GiB\\)"), small.engine());
    IngestSummary big = IngestJob.run(conf(), IngestOptions.of(inputs, dir.resolve("b").toString()).withRunId("r1"),
        () -> spark, IngestEngine.AUTO, 1000);
    assertTrue(big.engine().matches("spark \\([0-9.]+ KiB of new input >= 1000 B\\)"), big.engine());
    assertEquals(rows(dir.resolve("b"), "flows"), rows(dir.resolve("a"), "flows"));

    // The night left a connection open: the morning's run replaces its row, the local engine too.
    Batches.write(in, false, true);
    IngestOptions o = IngestOptions.of(inputs, dir.resolve("a").toString()).withRunId("r2");
    IngestSummary morning = IngestJob.run(conf(), o, NO_SPARK, IngestEngine.AUTO,
        IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
    assertTrue(morning.engine().startsWith("local ("), morning.engine());
    assertEquals(1, morning.replacedConnections());

    // --packets is written by the local engine too: auto keeps it local.
    IngestOptions p = IngestOptions.of(inputs, dir.resolve("c").toString()).withRunId("r1").withPackets(true);
    IngestSummary packets = IngestJob.run(conf(), p, NO_SPARK, IngestEngine.AUTO,
        IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
    assertTrue(packets.engine().startsWith("local ("), packets.engine());
    assertEquals(packets.packets(), table(dir.resolve("c"), "packets").count());
    // --extract-bodies is still Spark's: --engine local takes Spark and says why.
    IngestOptions b = new IngestOptions(inputs, dir.resolve("d").toString(), "", null, "r1", "", null, null, false,
        false, false, false, null, null, false, dir.resolve("bodies").toString());
    IngestSummary bodies = IngestJob.run(conf(), b, () -> spark, IngestEngine.LOCAL,
        IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
    assertEquals("spark (--engine local asked, but --extract-bodies is written by Spark)", bodies.engine());
  }

  @Test
  void autoUnderAClusterMasterPicksSparkAndSaysWhy() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Batches.write(in, true, false);
    List<String> inputs = List.of(in.toString());
    // The session is the tests' local one: what matters is the choice, made from the master the run would use.
    IngestSummary s = IngestJob.run(conf(), IngestOptions.of(inputs, dir.resolve("a").toString()).withRunId("r1"),
        () -> spark, IngestEngine.AUTO, IngestEngine.DEFAULT_LOCAL_MAX_BYTES, "spark://10.1.2.3:7077");
    assertEquals("spark (the Spark master spark://10.1.2.3:7077 is a cluster: its executors read the input)",
        s.engine());
    List<String> masters = List.of("local", "local[*]", "local[2]");
    for (String local : masters) {
      IngestSummary l = IngestJob.run(conf(), IngestOptions.of(inputs, dir.resolve("l" + masters.indexOf(local))
              .toString())
          .withRunId("r1"), NO_SPARK, IngestEngine.AUTO, IngestEngine.DEFAULT_LOCAL_MAX_BYTES, local);
      assertTrue(l.engine().startsWith("local ("), local + ": " + l.engine());
    }
    // --engine local is obeyed under a cluster master.
    IngestSummary forced = IngestJob.run(conf(), IngestOptions.of(inputs, dir.resolve("b").toString())
        .withRunId("r1"), NO_SPARK, IngestEngine.LOCAL, IngestEngine.DEFAULT_LOCAL_MAX_BYTES, "yarn");
    assertEquals("local (--engine local)", forced.engine());
    assertTrue(IngestEngine.isCluster("local-cluster[2,1,1024]"));
    assertFalse(IngestEngine.isCluster(null));
  }

  @Test
  void connectionSpanningTwoRunsIsReplacedByTheLocalEngineAsBySpark() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    List<String> inputs = List.of(in.toString());
    Batches.write(in, true, false);
    Pair night = both(inputs, "night", false);
    assertEquals(1, night.local().newFiles().size());
    assertSameTables();
    Batches.write(in, false, true);
    Pair morning = both(inputs, "morning", false);
    assertEquals(1, morning.local().context().size(), "the night's file is re-read");
    assertEquals(1, morning.local().replacedConnections(), "the night's row of the continued connection");
    assertSameTables();
    assertEquals(1, table(dir.resolve("local"), "flows").filter("size(capture_files) = 2").count());
    // The night's flows file held the replaced row: rewritten by both engines, so no file of the night is left.
    assertFalse(lakeFileNames(dir.resolve("local"), "flows").contains("part-00000-night.snappy.parquet"));

    // A lake written by Spark, continued by the local engine: it reads and rewrites Spark's files.
    Path mixed = dir.resolve("mixed");
    Files.delete(in.resolve(Batches.MORNING));
    IngestJob.run(conf(), IngestOptions.of(inputs, mixed.toString()).withRunId("night"), () -> spark,
        IngestEngine.SPARK, IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
    Batches.write(in, false, true);
    IngestSummary m = IngestJob.run(conf(), IngestOptions.of(inputs, mixed.toString()).withRunId("morning"), NO_SPARK,
        IngestEngine.LOCAL, IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
    assertEquals(1, m.replacedConnections());
    for (String t : IngestJob.TABLES) {
      assertEquals(rows(dir.resolve("spark"), t), rows(mixed, t), t + " rows");
    }
  }

  @Test
  void reingestedFileReplacesItsRowsWithTheLocalEngineAsWithSpark() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Batches.write(in, true, true);
    SampleCapture.write(in.resolve("sample.pcapng"), Format.PCAPNG);
    both(List.of(in.toString()), "r1", false);
    assertSameTables();
    // Re-ingest the morning file only: the connection it shares with the night stays whole (the night file is
    // context), nothing is duplicated, the sample's rows are untouched.
    Pair again = both(List.of(in.resolve(Batches.MORNING).toString()), "r2", true);
    assertEquals(1, again.local().reingested().size());
    assertEquals(1, again.local().context().size(), again.local().context().toString());
    assertEquals(again.spark().replacedConnections(), again.local().replacedConnections());
    assertEquals(2, again.local().replacedConnections());
    assertSameTables();
    List<String> flows = rows(dir.resolve("local"), "flows");
    assertEquals(flows.stream().distinct().count(), flows.size());
  }

  @Test
  void changedFileReplacesItsRowsWithTheLocalEngineAsWithSpark() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    Batches.write(in, true, true);
    both(List.of(in.toString()), "r1", false);
    // The morning file rewritten with other content (its late connection cut short): its rows are replaced.
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    Batches.write(tmp, false, true);
    byte[] morning = Files.readAllBytes(tmp.resolve(Batches.MORNING));
    Files.write(in.resolve(Batches.MORNING), java.util.Arrays.copyOf(morning, morning.length - 200));
    Pair changed = both(List.of(in.toString()), "r2", false);
    assertEquals(1, changed.local().reingested().size());
    assertEquals(1, changed.local().skipped().size());
    assertSameTables();
    List<Row> captures = table(dir.resolve("local"), "captures").collectAsList();
    assertEquals(2, captures.size());
  }

  record Pair(IngestSummary spark, IngestSummary local) { }

  /** The same run into the Spark lake ({@code dir/spark}, Spark engine) and the local lake (local, no Spark). */
  private Pair both(List<String> inputs, String run, boolean reingest) throws IOException {
    return both(inputs, run, reingest, UnaryOperator.identity());
  }

  private Pair both(List<String> inputs, String run, boolean reingest, UnaryOperator<IngestOptions> options)
      throws IOException {
    IngestSummary s = IngestJob.run(conf(), options.apply(IngestOptions.of(inputs, dir.resolve("spark").toString())
        .withRunId(run).withReingest(reingest)), () -> spark, IngestEngine.SPARK, IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
    IngestSummary l = IngestJob.run(conf(), options.apply(IngestOptions.of(inputs, dir.resolve("local").toString())
        .withRunId(run).withReingest(reingest)), NO_SPARK, IngestEngine.LOCAL, IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
    assertEquals("local (--engine local)", l.engine());
    assertTrue(l.committed());
    assertEquals(s.newFiles().size(), l.newFiles().size(), "new files");
    assertEquals(s.reingested().size(), l.reingested().size(), "reingested files");
    assertEquals(s.context(), l.context(), "context files");
    assertEquals(s.connections(), l.connections(), "connections");
    assertEquals(s.replacedConnections(), l.replacedConnections(), "replaced connections");
    assertEquals(s.httpExchanges(), l.httpExchanges(), "http exchanges");
    assertEquals(s.packets(), l.packets(), "packets");
    assertEquals(s.anomalies(), l.anomalies(), "anomalies by reason");
    assertFalse(Files.exists(dir.resolve("local/_pcaplake/staging/" + run)));
    assertSameReports(dir.resolve("spark"), dir.resolve("local"), run);
    return new Pair(s, l);
  }

  /** Both lakes' report.xml of the run hold the same fileobjects in the same order (the Spark engine's key order). */
  private static void assertSameReports(Path sparkLake, Path localLake, String run) throws IOException {
    List<String> s = fileobjects(Files.readString(sparkLake.resolve("reports/" + run + "/report.xml")));
    List<String> l = fileobjects(Files.readString(localLake.resolve("reports/" + run + "/report.xml")));
    assertFalse(s.isEmpty(), "the Spark engine's report has fileobjects");
    assertEquals(s, l, "report.xml fileobjects, in order");
  }

  /** The {@code <fileobject>} elements of a report.xml, in document order (run-specific fields are outside them). */
  static List<String> fileobjects(String xml) {
    List<String> out = new ArrayList<>();
    int i = xml.indexOf("<fileobject>");
    while (i >= 0) {
      int end = xml.indexOf("</fileobject>", i) + "</fileobject>".length();
      out.add(xml.substring(i, end));
      i = xml.indexOf("<fileobject>", end);
    }
    return out;
  }

  /** The two lakes of {@link #both}: every table equal row for row, same schemas, same next-run context. */
  private void assertSameTables() throws IOException {
    assertSameTables(false);
  }

  private void assertSameTables(boolean packets) throws IOException {
    Path sparkLake = dir.resolve("spark");
    Path localLake = dir.resolve("local");
    for (String t : tables(packets)) {
      assertEquals(rows(sparkLake, t), rows(localLake, t), t + " rows");
      if (hasParquet(sparkLake.resolve(t))) {
        assertEquals(shape(spark.read().parquet(sparkLake.resolve(t).toString()).schema()),
            shape(spark.read().parquet(localLake.resolve(t).toString()).schema()), t + " schema");
      }
    }
    FileSystem fs = FileSystem.get(sparkLake.toUri(), conf());
    assertEquals(Manifest.load(fs, LakePaths.of(sparkLake.toString())).context(),
        Manifest.load(fs, LakePaths.of(localLake.toString())).context(), "next run's context files");
  }

  private static List<String> lakeFileNames(Path lake, String table) throws IOException {
    try (Stream<Path> files = Files.walk(lake.resolve(table))) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }

  static Dataset<Row> table(Path lake, String table) {
    return spark.read().schema(TableSchemas.of(table)).parquet(lake.resolve(table).toString());
  }

  /** Every row of a table as text, sorted (a multiset: duplicates show). */
  static List<String> rows(Path lake, String table) {
    return table(lake, table).collectAsList().stream().map(Row::toString).sorted().toList();
  }

  static List<String> shape(StructType t) {
    List<String> out = new ArrayList<>();
    for (StructField f : t.fields()) {
      out.add(f.name() + " " + f.dataType().asNullable().simpleString());
    }
    return out;
  }

  static boolean hasParquet(Path table) throws IOException {
    if (!Files.isDirectory(table)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(table)) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
    }
  }
}
