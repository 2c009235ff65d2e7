package io.pcaplake.lake;

import java.util.Objects;
import org.apache.hadoop.fs.Path;

/**
 * Where things live in a lake ({@code docs/lake.md}): the tables under the root, and the bookkeeping under
 * {@code _pcaplake/} (a name Spark, DuckDB and Trino skip when reading the root's tables):
 * <pre>
 * ROOT/{flows,http,anomalies,packets}/dt=YYYY-MM-DD/part-*.parquet
 * ROOT/captures/part-*.parquet
 * ROOT/reports/RUN/report.xml
 * ROOT/_pcaplake/lock                  who is ingesting ({@link LakeLock})
 * ROOT/_pcaplake/manifest/NNNNNN-RUN.tsv  one per committed run ({@link Manifest})
 * ROOT/_pcaplake/journal/RUN.journal   a run being committed ({@link CommitJournal})
 * ROOT/_pcaplake/staging/RUN/          a run's output before its commit
 * </pre>
 */
public record LakePaths(Path root) {
  public static final String META = "_pcaplake";

  public LakePaths {
    Objects.requireNonNull(root, "root");
  }

  public static LakePaths of(String root) {
    return new LakePaths(new Path(root));
  }

  public Path table(String table) {
    return new Path(root, table);
  }

  public Path report(String runId) {
    return new Path(root, "reports/" + checkRun(runId) + "/report.xml");
  }

  public Path meta() {
    return new Path(root, META);
  }

  public Path lock() {
    return new Path(meta(), "lock");
  }

  public Path manifestDir() {
    return new Path(meta(), "manifest");
  }

  public Path journalDir() {
    return new Path(meta(), "journal");
  }

  public Path journal(String runId) {
    return new Path(journalDir(), checkRun(runId) + ".journal");
  }

  public Path stagingDir() {
    return new Path(meta(), "staging");
  }

  /** A run's staging root; its tables and report mirror the lake's layout below it. */
  public Path staging(String runId) {
    return new Path(stagingDir(), checkRun(runId));
  }

  static String checkRun(String runId) {
    if (runId == null || runId.isBlank() || runId.contains("/") || runId.contains("\t") || runId.startsWith(".")) {
      throw new IllegalArgumentException("bad run id: '" + runId + "'");
    }
    return runId;
  }
}
