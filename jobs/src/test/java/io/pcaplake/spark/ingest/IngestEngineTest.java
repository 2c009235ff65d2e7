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
    IngestOptions o = IngestOptions.of(inputs, lake.toString()).withRunId("r1");
    return IngestJob.run(conf(), o, engine == IngestEngine.SPARK ? () -> spark : NO_SPARK, engine, max);
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
    assertSameLakes(inputs, inputs.size());
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private void assertSameLakes(List<String> inputs, int files) throws IOException {
    Path sparkLake = dir.resolve("spark");
    Path localLake = dir.resolve("local");
    IngestSummary s = ingest(inputs, sparkLake, IngestEngine.SPARK, IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
    IngestSummary l = ingest(inputs, localLake, IngestEngine.LOCAL, IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
    assertEquals("spark (--engine spark)", s.engine());
    assertEquals("local (--engine local)", l.engine());
    assertEquals(files, l.newFiles().size());
    assertEquals(s.connections(), l.connections(), "connections");
    assertEquals(s.httpExchanges(), l.httpExchanges(), "http exchanges");
    assertEquals(s.packets(), l.packets(), "packets");
    assertEquals(s.anomalies(), l.anomalies(), "anomalies by reason");
    for (String t : IngestJob.TABLES) {
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
    assertTrue(Files.isRegularFile(localLake.resolve("reports/r1/report.xml")));
    assertEquals(Files.readString(sparkLake.resolve("reports/r1/report.xml")).split("<fileobject>").length,
        Files.readString(localLake.resolve("reports/r1/report.xml")).split("<fileobject>").length,
        "report.xml: one fileobject per connection direction");
    assertFalse(Files.exists(localLake.resolve("_pcaplake/staging/r1")));
    assertFalse(Files.exists(localLake.resolve("_pcaplake/lock")));

    // Nothing new: a no-op with either engine, Spark not asked for.
    for (Path lake : List.of(sparkLake, localLake)) {
      for (IngestEngine e : IngestEngine.values()) {
        IngestOptions o = IngestOptions.of(inputs, lake.toString()).withRunId("r2");
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

    // The night left a connection open: the morning's run replaces its row, which the local engine does not do.
    Batches.write(in, false, true);
    IngestOptions o = IngestOptions.of(inputs, dir.resolve("a").toString()).withRunId("r2");
    IngestSummary morning = IngestJob.run(conf(), o, () -> spark, IngestEngine.AUTO,
        IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
    assertEquals("spark (1 context file(s) of connections still open in the lake)", morning.engine());
    assertEquals(1, morning.replacedConnections());
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
