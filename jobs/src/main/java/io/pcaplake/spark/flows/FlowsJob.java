package io.pcaplake.spark.flows;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.when;

import io.pcaplake.report.ReportXmlWriter;
import io.pcaplake.spark.PcapDataSource;
import io.pcaplake.spark.SegmentColumns;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flows job ({@code docs/flows.md}): capture archives to the {@code flows}, {@code http} and {@code anomalies}
 * tables and a tcpflow-compatible {@code report.xml}.
 * <ol>
 *   <li>read every split once with {@code format("pcap").option("rows", "segments")} (TCP segments, problems and
 *       record counts; the filter is applied there, before the shuffle);</li>
 *   <li>repartition by connection key (problem rows by file and offset), sort within partitions by (key, ts_ns,
 *       capture_file, record_index): Spark's external sorter spills, nothing holds the archive;</li>
 *   <li>reassemble each partition with {@link io.pcaplake.flow.FlowAssembler} ({@link Reassemble}), the HTTP stage
 *       attached to its streams, into one union result ({@link ResultRows}), persisted memory-and-disk;</li>
 *   <li>write {@code flows}, {@code http} and {@code anomalies} from it as Parquet partitioned by {@code dt}, with the schemas of
 *       their {@code .avsc} contracts, through Spark's commit protocol (each table appears whole or not at all);</li>
 *   <li>stream {@code reports/<run>/report.xml} on the driver from it, in key order (one partition at a time).</li>
 * </ol>
 */
public final class FlowsJob {
  private static final Logger LOG = LoggerFactory.getLogger(FlowsJob.class);
  /** Target shuffle partition size: input bytes per reassembly task. */
  static final long BYTES_PER_PARTITION = 128L << 20;
  /** Spark conf that overrides the number of reassembly (shuffle) partitions; the output does not depend on it. */
  public static final String PARTITIONS_CONF = "pcaplake.flows.partitions";
  private static final String TIMESTAMP_TYPE = "spark.sql.parquet.outputTimestampType";

  private FlowsJob() { }

  /** spark-submit entry: {@code FlowsJob OUT INPUT...}; the master comes from spark-submit. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: FlowsJob OUT INPUT...");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("pcaplake flows").getOrCreate();
    try {
      List<String> inputs = List.of(args).subList(1, args.length);
      FlowsOptions o = new FlowsOptions(inputs, args[0], "", null, null, "FlowsJob " + String.join(" ", args),
          null);  // default fingerprint key, no raw secrets
      run(spark, o).print(System.out);
    } finally {
      spark.stop();
    }
  }

  /** Runs the job; the filter must already be valid (the CLI checks it first). */
  public static FlowsSummary run(SparkSession spark, FlowsOptions o) throws IOException {
    long t0 = System.nanoTime();
    // The contracts say timestamp-micros (Spark's default would be INT96); restored when the run ends.
    String timestampType = spark.conf().get(TIMESTAMP_TYPE, null);
    spark.conf().set(TIMESTAMP_TYPE, "TIMESTAMP_MICROS");
    Map<String, Long> files = PcapDataSource.listFiles(spark, o.inputs());
    long bytes = files.values().stream().mapToLong(Long::longValue).sum();

    Path reportPath = new Path(o.reportPath());
    FileSystem fs = reportPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
    Dataset<Row> result = null;
    try (OutputStream reportStream = fs.create(reportPath, true);
         ReportXmlWriter report = new ReportXmlWriter(reportStream,
             new ReportXmlWriter.Options("pcaplake", "0.1.0", o.commandLine(), "", o.startTime(), null))) {
      try {
        result = reassemble(spark, o, bytes).persist(StorageLevel.MEMORY_AND_DISK());
        writeTable(spark, result, ResultRows.FLOW, "flows", o.flowsPath());
        writeTable(spark, result, ResultRows.HTTP, "http", o.httpPath());
        writeTable(spark, result, ResultRows.ANOMALY, "anomalies", o.anomaliesPath());
        writeReport(result, report);
        FlowsSummary s = summarize(result, files.size(), bytes, o, t0);
        LOG.info("flows run {}: {} connections, {} http exchanges, {} anomalies", o.runId(), s.connections(),
            s.httpExchanges(), s.anomalyCount());
        return s;
      } catch (IOException | RuntimeException | Error e) {
        report.abort(e.toString());
        throw e;
      }
    } finally {
      if (result != null) {
        result.unpersist();
      }
      if (timestampType == null) {
        spark.conf().unset(TIMESTAMP_TYPE);
      } else {
        spark.conf().set(TIMESTAMP_TYPE, timestampType);
      }
    }
  }

  /** Steps 1-3: the persisted-to-be union result. */
  static Dataset<Row> reassemble(SparkSession spark, FlowsOptions o, long inputBytes) {
    DataFrameReader reader = spark.read().format("pcap").option("rows", "segments");
    if (!o.filter().isBlank()) {
      reader = reader.option("filter", o.filter());
    }
    if (o.splitSize() != null) {
      reader = reader.option("maxPartitionBytes", String.valueOf(o.splitSize()));
    }
    Dataset<Row> segments = reader.load(o.inputs().toArray(String[]::new));
    String forced = spark.conf().get(PARTITIONS_CONF, null);
    int partitions = forced != null ? Integer.parseInt(forced.trim()) : (int) Math.max(
        spark.sparkContext().defaultParallelism(),
        Math.min(100_000, (inputBytes + BYTES_PER_PARTITION - 1) / BYTES_PER_PARTITION));
    Column key = col(SegmentColumns.KEY);
    Column spread = when(key.isNotNull(), hash(key))
        .otherwise(hash(col(SegmentColumns.CAPTURE_FILE), col(SegmentColumns.RECORD_INDEX)));
    Dataset<Row> sorted = segments.repartition(partitions, spread)
        .sortWithinPartitions(key, col(SegmentColumns.TS_NS), col(SegmentColumns.CAPTURE_FILE),
            col(SegmentColumns.RECORD_INDEX));
    return sorted.mapPartitions(new Reassemble(sorted.schema(), o.runDate(), o.fingerprintKey(), o.keepSecrets()),
        Encoders.row(ResultRows.SCHEMA));
  }

  /** Step 4: one table, projected from the result to its contract's schema, partitioned by dt, overwritten. */
  static void writeTable(SparkSession spark, Dataset<Row> result, String kind, String table, String path) {
    StructType schema = TableSchemas.of(table);
    List<Column> columns = new ArrayList<>();
    for (StructField f : schema.fields()) {
      Column c = col(f.name());
      columns.add(f.dataType().equals(DataTypes.TimestampType) ? timestamp_micros(c).as(f.name()) : c);
    }
    Dataset<Row> projected = result.filter(col("kind").equalTo(kind)).select(columns.toArray(Column[]::new));
    // Re-apply the contract's schema (not-null columns stay REQUIRED in Parquet; a projection makes all nullable).
    Dataset<Row> typed = spark.createDataFrame(projected.javaRDD(), schema);
    typed.write().mode(SaveMode.Overwrite).partitionBy("dt").parquet(path);
  }

  /** Step 5: report.xml, streamed in key order; only one partition of connections is on the driver at a time. */
  static void writeReport(Dataset<Row> result, ReportXmlWriter report) throws IOException {
    Column[] columns = java.util.Arrays.stream(ResultRows.CONNECTION_COLUMNS).map(c -> col(c)).toArray(Column[]::new);
    Iterator<Row> it = result.filter(col("kind").equalTo(ResultRows.FLOW))
        .orderBy(col("key"), col("connection_index")).select(columns).toLocalIterator();
    while (it.hasNext()) {
      report.connection(ResultRows.connection(it.next()));
    }
  }

  /** Count-row columns summed into {@link FlowsSummary.Accounting}, in its component order. */
  private static final String[] ACCOUNTING_COLUMNS = {"records_read", "records_ok", "records_unsupported",
      "records_bad", "payload_fed", "payload_seen", "payload_delivered", "payload_retransmitted",
      "payload_conflicting", "payload_dropped", "payload_uncaptured"};

  static FlowsSummary summarize(Dataset<Row> result, int files, long bytes, FlowsOptions o, long t0) {
    Column isCount = col("kind").equalTo(ResultRows.COUNT);
    List<Column> sums = new ArrayList<>();
    sums.add(sum(when(isCount, col("records")).otherwise(0L)));
    sums.add(sum(when(col("kind").equalTo(ResultRows.FLOW), col("client_packets").plus(col("server_packets")))
        .otherwise(0L)));
    for (String c : ACCOUNTING_COLUMNS) {
      sums.add(sum(when(isCount.and(col(c).isNotNull()), col(c)).otherwise(0L)));
    }
    Row totals = result.agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new)).first();
    long[] t = new long[totals.size()];
    for (int i = 0; i < t.length; i++) {
      t[i] = totals.isNullAt(i) ? 0 : totals.getLong(i);
    }
    FlowsSummary.Accounting accounting = new FlowsSummary.Accounting(t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9],
        t[10], t[11], t[12]);
    Map<String, Long> states = counts(result.filter(col("kind").equalTo(ResultRows.FLOW)), "conn_state");
    Map<String, Long> reasons = counts(result.filter(col("kind").equalTo(ResultRows.ANOMALY)), "reason");
    Column status = col("status_code");
    Map<String, Long> classes = counts(result.filter(col("kind").equalTo(ResultRows.HTTP))
        .withColumn("status_class", when(status.isNull().or(status.lt(100)).or(status.gt(999)), lit("none"))
            .otherwise(concat(floor(status.divide(100)).cast("string"), lit("xx")))), "status_class");
    long connections = states.values().stream().mapToLong(Long::longValue).sum();
    long exchanges = classes.values().stream().mapToLong(Long::longValue).sum();
    return new FlowsSummary(files, bytes, t[0], t[1], connections, states, exchanges, classes, reasons, o.flowsPath(),
        o.httpPath(), o.anomaliesPath(), o.reportPath(), (System.nanoTime() - t0) / 1_000_000, accounting);
  }

  private static Map<String, Long> counts(Dataset<Row> rows, String column) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Row r : rows.groupBy(col(column)).count().collectAsList()) {
      m.put(r.getString(0), r.getLong(1));
    }
    return m;
  }

}
