package io.pcaplake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestSpark;
import io.pcaplake.local.CaptureInput;
import io.pcaplake.local.LocalEngine;
import io.pcaplake.local.LocalOptions;
import io.pcaplake.local.LocalSummary;
import io.pcaplake.local.ParquetTables;
import io.pcaplake.spark.flows.FlowsJob;
import io.pcaplake.spark.flows.FlowsOptions;
import io.pcaplake.spark.flows.FlowsSummary;
import io.pcaplake.spark.flows.TableSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN's "two engines, one core": the shared real captures ingested by the Spark flows job and by the local engine
 * with its parquet-avro writer give the same {@code flows}, {@code http} and {@code anomalies} tables, row for row
 * (order-insensitive), with the same schemas as Spark reads them back.
 */
class LocalEngineEquivalenceTest {
  static final Instant START = Instant.parse("2026-11-29T00:00:00Z");
  @TempDir
  Path dir;

  @Test
  void sharedCapturesGiveTheSameTablesWithBothEngines() throws Exception {
    List<CaptureInput> inputs = new ArrayList<>();
    for (SharedCaptures.Entry e : SharedCaptures.manifest().values()) {
      inputs.add(CaptureInput.of(e.file()));
    }
    assertTrue(inputs.size() > 10, "shared captures: " + inputs.size());
    // The Spark job breaks ties in time by capture_file name; give the local engine its inputs in that order.
    inputs.sort(Comparator.comparing(CaptureInput::name));
    List<String> paths = inputs.stream().map(i -> i.name().substring("file:".length())).toList();

    SparkSession spark = TestSpark.get();
    FlowsOptions o = new FlowsOptions(paths, dir.resolve("spark").toString(), "", null, "eq", "pcaplake flows",
        START);
    FlowsSummary sparkRun = FlowsJob.run(spark, o);

    LocalSummary local;
    try (ParquetTables tables = new ParquetTables(dir.resolve("local").toString(), "eq", o.runDate(),
        new Configuration())) {
      local = LocalEngine.run(inputs, LocalOptions.defaults(), tables);
    }
    assertEquals(sparkRun.connections(), local.connections(), "connections");
    assertEquals(sparkRun.httpExchanges(), local.httpExchanges(), "http exchanges");

    for (String table : ParquetTables.TABLES) {
      Path s = dir.resolve("spark").resolve(table);
      Path l = dir.resolve("local").resolve(table);
      boolean sparkHasFiles = hasParquet(s);
      assertEquals(sparkHasFiles, hasParquet(l), table + ": both engines wrote rows or neither");
      if (!sparkHasFiles) {
        continue;
      }
      Dataset<Row> a = spark.read().parquet(s.toString());
      Dataset<Row> b = spark.read().parquet(l.toString());
      assertEquals(shape(a.schema()), shape(b.schema()), table + " schema");
      // dt comes back from the directory names, typed by Spark's partition inference: compare the file columns.
      assertEquals(shape(TableSchemas.of(table)).subList(0, a.schema().size() - 1),
          shape(b.schema()).subList(0, b.schema().size() - 1), table + " schema = contract");
      long n = a.count();
      assertEquals(n, b.count(), table + " rows");
      List<Row> onlySpark = a.exceptAll(b).limit(5).collectAsList();
      List<Row> onlyLocal = b.exceptAll(a).limit(5).collectAsList();
      assertEquals(List.of(), onlySpark, table + ": Spark rows missing from the local engine's; local has " + onlyLocal);
      assertEquals(List.of(), onlyLocal, table + ": local rows missing from Spark's");
    }
  }

  /** Names and types in order (Spark reads every column back as nullable, so nullability is not compared). */
  static List<String> shape(StructType t) {
    List<String> out = new ArrayList<>();
    for (StructField f : t.fields()) {
      out.add(f.name() + " " + f.dataType().asNullable().simpleString());
    }
    return out;
  }

  static boolean hasParquet(Path table) throws Exception {
    if (!Files.isDirectory(table)) {
      return false;
    }
    try (var files = Files.walk(table)) {
      return files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet"));
    }
  }
}
