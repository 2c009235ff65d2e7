package io.pcaplake.spark.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_seconds;

import io.pcaplake.spark.flows.TableSchemas;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily report ({@code docs/nightly.md}): for each day, {@code <lake>/reports/dt=<date>/} with
 * {@code report.html} (self-contained, charts as inline SVG), {@code tables/<name>/} (the page's figures as
 * Parquet, one table per {@link ReportQueries} query) and {@code report.xml} (DFXML of the day's connections,
 * {@link DayReportXml}).
 *
 * <p>A day's directory is built under {@code reports/_tmp-dt=<date>-<uuid>} and renamed into place (the old one
 * renamed aside first, then deleted), so a reader sees the old report or the new one, never half of one, and a
 * second run of the same day simply replaces it.
 */
public final class ReportJob {
  private static final Logger LOG = LoggerFactory.getLogger(ReportJob.class);
  static final String[] DATA_TABLES = {"http", "flows", "anomalies"};
  private static final String TIMESTAMP_TYPE = "spark.sql.parquet.outputTimestampType";
  private static final StructType CAPTURES = new StructType()
      .add("capture_file", DataTypes.StringType).add("first_ts", DataTypes.TimestampType)
      .add("last_ts", DataTypes.TimestampType).add("packets", DataTypes.LongType);

  private ReportJob() { }

  /** Reports the days the options name (see {@link ReportOptions}), oldest first. */
  public static List<DayReport> run(SparkSession spark, ReportOptions o) throws IOException {
    List<DayReport> done = new ArrayList<>();
    for (LocalDate d : days(spark, o)) {
      done.add(report(spark, o, d));
    }
    return done;
  }

  /** The days a run covers: the named ones; with catch-up, also the due ones and yesterday; else yesterday. */
  static List<LocalDate> days(SparkSession spark, ReportOptions o) throws IOException {
    TreeSet<LocalDate> days = new TreeSet<>(o.dates());
    if (o.catchUp()) {
      days.addAll(dueDays(spark, o.lake()));
      days.add(o.yesterday());
    } else if (days.isEmpty()) {
      days.add(o.yesterday());
    }
    return List.copyOf(days);
  }

  /**
   * Days that have data (a {@code dt=} partition with a data file in http, flows or anomalies) and no report, or a
   * report.html older than the newest data file of that day (data re-ingested after the report).
   */
  public static List<LocalDate> dueDays(SparkSession spark, String lake) throws IOException {
    Path root = new Path(lake);
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    Map<LocalDate, Long> newest = new LinkedHashMap<>();
    for (String table : DATA_TABLES) {
      Path t = new Path(root, table);
      if (!fs.exists(t)) {
        continue;
      }
      for (FileStatus part : fs.listStatus(t)) {
        String name = part.getPath().getName();
        if (!part.isDirectory() || !name.startsWith("dt=")) {
          continue;
        }
        LocalDate d;
        try {
          d = LocalDate.parse(name.substring(3));
        } catch (java.time.format.DateTimeParseException e) {
          continue;
        }
        for (FileStatus f : fs.listStatus(part.getPath())) {
          String n = f.getPath().getName();
          if (f.isFile() && !n.startsWith("_") && !n.startsWith(".")) {
            newest.merge(d, f.getModificationTime(), Math::max);
          }
        }
      }
    }
    List<LocalDate> due = new ArrayList<>();
    for (Map.Entry<LocalDate, Long> e : new java.util.TreeMap<>(newest).entrySet()) {
      Path html = new Path(dayDir(root, e.getKey()), "report.html");
      if (!fs.exists(html) || fs.getFileStatus(html).getModificationTime() < e.getValue()) {
        due.add(e.getKey());
      }
    }
    return due;
  }

  static Path dayDir(Path lake, LocalDate date) {
    return new Path(lake, "reports/dt=" + date);
  }

  /** Writes one day's report directory (atomically replacing an older one) and says what it holds. */
  public static DayReport report(SparkSession spark, ReportOptions o, LocalDate date) throws IOException {
    long t0 = System.nanoTime();
    Path root = new Path(o.lake());
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    Path target = dayDir(root, date);
    Path tmp = new Path(root, "reports/_tmp-dt=" + date + "-" + UUID.randomUUID());
    String timestampType = spark.conf().get(TIMESTAMP_TYPE, null);
    spark.conf().set(TIMESTAMP_TYPE, "TIMESTAMP_MICROS");
    try {
      long dayStart = date.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
      Dataset<Row> flows = views(spark, fs, root, date);
      boolean captures = spark.table("day_captures").limit(1).count() > 0;
      Map<String, ReportFigures.Table> tables = new LinkedHashMap<>();
      for (Map.Entry<String, String> q : ReportQueries.all().entrySet()) {
        Dataset<Row> df = spark.sql(ReportQueries.forDay(q.getValue(), dayStart));
        List<Row> rows = df.collectAsList();
        tables.put(q.getKey(), new ReportFigures.Table(df.schema(), rows));
        spark.createDataFrame(rows, df.schema()).coalesce(1).write().mode(SaveMode.Overwrite)
            .parquet(new Path(tmp, "tables/" + q.getKey()).toString());
      }
      ReportFigures figures = new ReportFigures(date, o.lake(), o.now(), captures, tables);
      try (OutputStream out = fs.create(new Path(tmp, "report.html"), true)) {
        out.write(ReportPage.render(figures).getBytes(StandardCharsets.UTF_8));
      }
      long xmlConnections = DayReportXml.write(spark, fs, root, date, flows, new Path(tmp, "report.xml"),
          o.commandLine(), o.now());
      publish(fs, tmp, target);
      DayReport r = new DayReport(date, target.toString(), figures.total("requests"),
          figures.total("connections"), figures.total("anomalies"), captures ? "captures" : "flows");
      LOG.info("report {}: {} requests, {} connections ({} in report.xml), {} anomalies, {} ms", date,
          r.requests(), r.connections(), xmlConnections, r.anomalies(), (System.nanoTime() - t0) / 1_000_000);
      return r;
    } finally {
      if (fs.exists(tmp)) {
        fs.delete(tmp, true);
      }
      if (timestampType == null) {
        spark.conf().unset(TIMESTAMP_TYPE);
      } else {
        spark.conf().set(TIMESTAMP_TYPE, timestampType);
      }
    }
  }

  /** Moves the finished {@code tmp} to {@code target}, replacing an older report. */
  static void publish(FileSystem fs, Path tmp, Path target) throws IOException {
    Path old = null;
    if (fs.exists(target)) {
      old = new Path(target.getParent(), "_old-" + target.getName() + "-" + UUID.randomUUID());
      if (!fs.rename(target, old)) {
        throw new IOException("cannot move the old report " + target + " aside");
      }
    }
    if (!fs.rename(tmp, target)) {
      if (old != null) {
        fs.rename(old, target);
      }
      throw new IOException("cannot rename " + tmp + " to " + target);
    }
    if (old != null) {
      fs.delete(old, true);
    }
  }

  /**
   * Registers {@code day_http}, {@code day_flows}, {@code day_anomalies} and {@code day_captures}; returns the
   * day's flows.
   */
  static Dataset<Row> views(SparkSession spark, FileSystem fs, Path root, LocalDate date) throws IOException {
    Dataset<Row> flows = null;
    for (String table : DATA_TABLES) {
      Path p = new Path(root, table);
      StructType schema = TableSchemas.of(table);
      Dataset<Row> df = fs.exists(p)
          ? spark.read().schema(schema).parquet(p.toString()).where(col("dt").equalTo(lit(date.toString())))
          : spark.createDataFrame(List.of(), schema);
      df.createOrReplaceTempView("day_" + table);
      if (table.equals("flows")) {
        flows = df;
      }
    }
    captures(spark, fs, new Path(root, "captures"), date).createOrReplaceTempView("day_captures");
    return flows;
  }

  /**
   * The rows of the {@code captures} table (written by {@code pcaplake ingest}) whose [first_ts, last_ts]
   * overlaps the day; none when the lake has no such table or it lacks those columns.
   */
  static Dataset<Row> captures(SparkSession spark, FileSystem fs, Path p, LocalDate date) throws IOException {
    if (fs.exists(p)) {
      try {
        Dataset<Row> all = spark.read().parquet(p.toString());
        List<String> cols = List.of(all.columns());
        if (cols.containsAll(List.of("capture_file", "first_ts", "last_ts", "packets"))) {
          long start = date.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
          return all.select(col("capture_file").cast("string"), col("first_ts").cast("timestamp"),
                  col("last_ts").cast("timestamp"), col("packets").cast("long"))
              .where(unix_seconds(col("first_ts")).lt(start + 86_400)
                  .and(unix_seconds(col("last_ts")).geq(start)));
        }
        LOG.warn("{} has no capture_file/first_ts/last_ts/packets columns; coverage from flows", p);
      } catch (Exception e) {  // Spark's AnalysisException: no files, no schema to infer
        LOG.warn("cannot read {} ({}); coverage from flows", p, e.getMessage());
      }
    }
    return spark.createDataFrame(List.of(), CAPTURES);
  }
}
