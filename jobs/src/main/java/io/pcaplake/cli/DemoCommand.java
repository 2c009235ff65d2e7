package io.pcaplake.cli;

import io.pcaplake.spark.flows.TableSchemas;
import io.pcaplake.spark.ingest.IngestJob;
import io.pcaplake.spark.ingest.IngestOptions;
import io.pcaplake.spark.ingest.IngestSummary;
import io.pcaplake.synth.SampleCapture;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pcaplake demo}: writes the sample capture (once), ingests it into the lake {@code DIR/lake} (a second
 * demo finds it already ingested), and answers "which tokens got 401s, from which clients, since when" with Spark SQL on the
 * written {@code http} table.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Generate ./pcaplake-demo/sample.pcapng if absent, 'ingest' it into the lake ./pcaplake-demo/lake and"
        + " query the http table: which tokens got 401s, from which clients, since when.")
final class DemoCommand implements Callable<Integer> {
  static final String SAMPLE = "sample.pcapng";
  static final String LAKE = "lake";
  static final String RUN_ID = "demo";
  /** The demo's question, as one SQL query on the {@code http} table. */
  static final String QUERY = "SELECT auth_token_fp, auth_token_hint, client_ip, count(*) AS n,"
      + " min(request_ts) AS first_seen\n  FROM http WHERE status_code = 401\n  GROUP BY 1, 2, 3 ORDER BY n DESC";

  @picocli.CommandLine.ParentCommand Main main;

  @Option(names = "--dir", defaultValue = "pcaplake-demo", description = "Demo directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  /** What the demo found: the ingest run and the query's rows. */
  record Result(IngestSummary ingest, List<Row> rows) { }

  @Override
  public Integer call() throws IOException {
    SparkSession spark = main.session("demo");
    try {
      run(spark, dir, System.out);
      return 0;
    } finally {
      spark.stop();
    }
  }

  static Result run(SparkSession spark, Path dir, PrintStream out) throws IOException {
    Path sample = dir.resolve(SAMPLE);
    SampleCapture.Truth truth;
    if (Files.isRegularFile(sample)) {
      out.println("using " + sample + " (delete it to regenerate)");
      truth = SampleCapture.generate(SampleCapture.Options.defaults()).truth();
    } else {
      truth = SampleCommand.run(sample, SampleCommand.SampleFormat.pcapng, out);
    }
    Path lake = dir.resolve(LAKE);
    IngestOptions o = new IngestOptions(List.of(sample.toAbsolutePath().toString()), lake.toString(), "", null,
        RUN_ID, "pcaplake demo --dir " + dir, null, null, false, false, false, false, null, null, false);
    IngestSummary s = IngestJob.run(spark.sparkContext().hadoopConfiguration(), o, () -> spark);
    if (s.committed()) {
      out.printf("ingest:    %d TCP connections, %d HTTP exchanges, %d anomalies, %.1f s%n", s.connections(),
          s.httpExchanges(), s.anomalyCount(), s.elapsedMillis() / 1000.0);
    } else {
      out.printf("ingest:    nothing new, %s is already in the lake (%.1f s)%n", sample, s.elapsedMillis() / 1000.0);
    }
    out.printf("lake:      %s/{flows,http,anomalies,captures}/..., %s/reports/%s/report.xml%n", lake, lake, RUN_ID);
    out.println();

    Dataset<Row> http = spark.read().schema(TableSchemas.of("http")).parquet(lake.resolve("http").toString());
    http.createOrReplaceTempView("http");
    out.println("Which tokens got 401s, from which clients, since when:");
    out.println();
    out.println("  " + QUERY.replace("\n", "\n  ") + ";");
    out.println();
    Dataset<Row> answer = spark.sql(QUERY);
    List<Row> rows = answer.collectAsList();
    TextTable.print(answer.schema().fieldNames(), rows, out, "  ");
    out.println();
    String fp = Fingerprints.of(null, truth.revokedToken());
    out.println("Match a known token: 'pcaplake fingerprint TOKEN' prints its auth_token_fp (same key, same value);"
        + " the sample's revoked token:");
    out.println("  $ scripts/pcaplake fingerprint " + truth.revokedToken());
    out.println("  " + fp);
    return new Result(s, rows);
  }
}
