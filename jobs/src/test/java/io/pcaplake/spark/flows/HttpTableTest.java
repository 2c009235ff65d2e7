package io.pcaplake.spark.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestSpark;
import io.pcaplake.synth.CaptureFiles;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.SampleCapture;
import io.pcaplake.synth.SynthPacket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The http table on the README's sample capture: the issue's 401 query, and secrets. Every table of a run is read
 * back with all columns rendered as text through SQL (Parquet pages are compressed: grepping file bytes proves
 * nothing) and searched, with report.xml, for the raw credentials of the sample: none without --keep-secrets, all
 * with it (so the search can fail).
 */
class HttpTableTest {
  static final Pattern AUTHORIZATION = Pattern.compile("Authorization: \\S+ (\\S+)\r\n");

  @TempDir static Path dir;
  static SparkSession spark;
  static SampleCapture.Truth truth;
  static Set<String> tokens = new TreeSet<>();
  static Path sample;

  @BeforeAll
  static void sample() throws IOException {
    spark = TestSpark.get();
    SampleCapture.Generated g = SampleCapture.generate(SampleCapture.Options.defaults());
    truth = g.truth();
    sample = dir.resolve("in/sample.pcapng");
    Files.createDirectories(sample.getParent());
    CaptureFiles.write(sample, Format.PCAPNG, g.packets());
    for (SynthPacket p : g.packets()) {
      Matcher m = AUTHORIZATION.matcher(new String(p.frame(), StandardCharsets.ISO_8859_1));
      while (m.find()) {
        tokens.add(m.group(1));
      }
    }
    // 6 normal clients (4 Bearer JWTs, 2 Basic), the revoked token and the next day's rotated token.
    assertEquals(8, tokens.size(), tokens.toString());
    assertTrue(tokens.contains(truth.incidents().rotatedToken()));
    assertTrue(tokens.contains(truth.revokedToken()));
  }

  static FlowsOptions options(String out, boolean keep) {
    return new FlowsOptions(List.of(sample.getParent().toString()), dir.resolve(out).toString(), "", null, "t",
        "pcaplake flows", Instant.parse("2026-01-02T03:04:05Z"), null, keep);
  }

  @Test
  void theIssueQueryFindsTheRevokedTokenAndNoRawTokenIsStored() throws Exception {
    FlowsOptions o = options("out-default", false);
    FlowsSummary s = FlowsJob.run(spark, o);
    assertEquals(truth.requests(), s.httpExchanges());
    java.util.Map<String, Long> classes = new java.util.TreeMap<>();
    truth.statusCounts().forEach((code, n) -> classes.merge(code / 100 + "xx", (long) n, Long::sum));
    assertEquals(classes, new java.util.TreeMap<>(s.statusClasses()));

    spark.read().schema(TableSchemas.of("http")).parquet(o.httpPath()).createOrReplaceTempView("http");
    List<Row> rows = spark.sql("SELECT auth_token_fp, count(*) FROM http WHERE status_code = 401"
        + " GROUP BY auth_token_fp ORDER BY 2 DESC").collectAsList();
    assertEquals(1, rows.size(), rows.toString());
    assertEquals(new io.pcaplake.http.Secrets(null).fingerprint(truth.revokedToken()), rows.get(0).getString(0));
    assertEquals((long) truth.unauthorized(), rows.get(0).getLong(1));

    String text = tablesAsText(o) + Files.readString(Path.of(o.reportPath()));
    for (String t : tokens) {
      assertFalse(text.contains(t), "raw token " + t + " stored without --keep-secrets");
    }

    FlowsOptions keep = options("out-keep", true);
    FlowsJob.run(spark, keep);
    String kept = tablesAsText(keep);
    for (String t : tokens) {
      assertTrue(kept.contains(t), "raw token " + t + " kept with --keep-secrets");
    }
  }

  /** Every row of every table of the run, every column cast to string by Spark SQL, one line per row. */
  static String tablesAsText(FlowsOptions o) {
    StringBuilder sb = new StringBuilder();
    for (String table : List.of("flows", "http", "anomalies")) {
      String path = o.out() + "/" + table;
      // The contract's schema: an empty table (no anomalies) has no files to infer one from.
      Dataset<Row> df = spark.read().schema(TableSchemas.of(table)).parquet(path);
      List<Column> cols = new ArrayList<>();
      for (StructField f : df.schema().fields()) {
        cols.add(functions.coalesce(functions.col(f.name()).cast("string"), functions.lit("")));
      }
      for (Row r : df.select(functions.concat_ws("\t", cols.toArray(Column[]::new))).collectAsList()) {
        sb.append(r.getString(0)).append('\n');
      }
    }
    return sb.toString();
  }
}
