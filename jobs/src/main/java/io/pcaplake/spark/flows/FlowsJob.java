package io.pcaplake.spark.flows;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.when;

import io.pcaplake.report.ReportXmlWriter;
import io.pcaplake.spark.PcapDataSource;
import io.pcaplake.spark.SegmentColumns;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction2;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.runtime.AbstractFunction1;

/**
 * The flows job ({@code docs/flows.md}): capture archives to the {@code flows}, {@code http} and {@code anomalies}
 * tables and a tcpflow-compatible {@code report.xml}.
 * <ol>
 *   <li>read every split once with {@code format("pcap").option("rows", "segments").option("fragments", "defer")}
 *       (TCP segments, problems, record counts and IP fragment records; the filter is applied there, before the
 *       shuffle);</li>
 *   <li>repartition by connection key (problem rows by file and offset, fragment rows by file into extra
 *       partitions), sort within partitions by (key, ts_ns, capture_file, record_index): Spark's external sorter
 *       spills, nothing holds the archive;</li>
 *   <li>reassemble each file's fragments with one decoder ({@link Defragment}) and shuffle the segments and problems
 *       it gives by key into the connection partitions, merged in sort order ({@link SortedMerge}): rows do not
 *       depend on the split size ({@code docs/anomalies.md}, "IP fragments and splits");</li>
 *   <li>reassemble each partition with {@link io.pcaplake.flow.FlowAssembler} ({@link Reassemble}), the HTTP stage
 *       attached to its streams, into one union result ({@link ResultRows}), persisted memory-and-disk;</li>
 *   <li>write {@code flows}, {@code http} and {@code anomalies} from it as Parquet partitioned by {@code dt}, with the schemas of
 *       their {@code .avsc} contracts, through Spark's commit protocol (each table appears whole or not at all);</li>
 *   <li>stream {@code reports/<run>/report.xml} on the driver from it, in key order (one partition at a time).</li>
 * </ol>
 * There is no {@code main} here: on a cluster, {@code spark-submit --class io.pcaplake.cli.Main ... flows} takes every
 * option of the CLI (fingerprint key, {@code --keep-secrets}, {@code --extract-bodies}); see {@code docs/spark.md}.
 */
public final class FlowsJob {
  private static final Logger LOG = LoggerFactory.getLogger(FlowsJob.class);
  /** Target shuffle partition size: input bytes per reassembly task. */
  static final long BYTES_PER_PARTITION = 128L << 20;
  /** Spark conf that overrides the number of reassembly (shuffle) partitions; the output does not depend on it. */
  public static final String PARTITIONS_CONF = "pcaplake.flows.partitions";
  private static final String TIMESTAMP_TYPE = "spark.sql.parquet.outputTimestampType";
  private static final String ADAPTIVE = "spark.sql.adaptive.enabled";

  private FlowsJob() { }

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
    LongAccumulator bodyFiles = null;
    if (o.extractBodies() != null) {
      Path bodies = HadoopBodies.prepare(o.extractBodies(), spark.sparkContext().hadoopConfiguration());
      bodyFiles = spark.sparkContext().longAccumulator("http body files");
      LOG.info("flows run {}: extracting HTTP bodies to {}", o.runId(), bodies);
    }
    try (OutputStream reportStream = fs.create(reportPath, true);
         ReportXmlWriter report = new ReportXmlWriter(reportStream,
             new ReportXmlWriter.Options("pcaplake", "0.1.0", o.commandLine(), "", o.startTime(), null))) {
      try {
        result = reassemble(spark, o, bytes, bodyFiles).persist(StorageLevel.MEMORY_AND_DISK());
        writeTable(spark, result, ResultRows.FLOW, "flows", o.flowsPath());
        writeTable(spark, result, ResultRows.HTTP, "http", o.httpPath());
        writeTable(spark, result, ResultRows.ANOMALY, "anomalies", o.anomaliesPath());
        writeReport(result, report);
        FlowsSummary s = summarize(result, files.size(), bytes, o, t0)
            .withBodies(bodyFiles == null ? 0 : bodyFiles.value(), o.extractBodies());
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

  /**
   * Steps 1-3: the persisted-to-be union result ({@link ResultRows}: column {@code kind} is {@value ResultRows#FLOW},
   * {@value ResultRows#HTTP}, {@value ResultRows#ANOMALY} or {@value ResultRows#COUNT}). Only {@code o}'s inputs,
   * filter, split size, run date, secrets and body-extraction options matter here; {@code bodyFiles} counts the
   * extracted body files (null: not counted).
   */
  public static Dataset<Row> reassemble(SparkSession spark, FlowsOptions o, long inputBytes,
                                        LongAccumulator bodyFiles) {
    DataFrameReader reader = spark.read().format("pcap").option("rows", "segments").option("fragments", "defer");
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
    int fragmentPartitions = Math.max(1, (partitions + 7) / 8);
    Column key = col(SegmentColumns.KEY);
    Column spread = pmod(when(key.isNotNull(), hash(key))
        .otherwise(hash(col(SegmentColumns.CAPTURE_FILE), col(SegmentColumns.RECORD_INDEX))), lit(partitions));
    // One shuffle: partitions [0, P) get the segments by connection key (problem and count rows spread), partitions
    // [P, P + F) every fragment record, a file's all in one partition; all sorted by (key, ts_ns, capture_file,
    // record_index), which for fragment rows (key and ts_ns null) is file order.
    Column byId = when(col(SegmentColumns.KIND).equalTo(SegmentColumns.FRAGMENT),
        lit(partitions).plus(pmod(hash(col(SegmentColumns.CAPTURE_FILE)), lit(fragmentPartitions))))
        .otherwise(spread);
    Column[] order = {key, col(SegmentColumns.TS_NS), col(SegmentColumns.CAPTURE_FILE),
        col(SegmentColumns.RECORD_INDEX)};
    Dataset<Row> sorted = segments.repartitionById(partitions + fragmentPartitions, byId).sortWithinPartitions(order);
    StructType schema = sorted.schema();
    HadoopBodies bodies = o.extractBodies() == null ? null
        : new HadoopBodies(o.extractBodies(), spark.sparkContext().hadoopConfiguration());
    Reassemble reassemble = new Reassemble(schema, o.runDate(), o.fingerprintKey(), o.keepSecrets(), bodies,
        bodyFiles);
    // Fixed partition counts (no adaptive coalescing or empty-input shortcuts): the two sides are zipped by index.
    return withoutAdaptiveExecution(spark, () -> {
      RDD<Row> all = sorted.javaRDD().rdd();
      JavaRDD<Row> connections = PartitionPruningRDD.create(all, new PartitionBelow(partitions, true)).toJavaRDD();
      JavaRDD<Row> fragments = PartitionPruningRDD.create(all, new PartitionBelow(partitions, false)).toJavaRDD();
      // Each file's fragments reassembled by one decoder, in file order; the completed segments join their
      // connections' partitions (few rows: fragment records are rare).
      JavaRDD<Row> defragmented = spark.createDataFrame(fragments.mapPartitions(new Defragment(schema, o.filter())),
              schema)
          .repartitionById(partitions, spread).sortWithinPartitions(order).javaRDD();
      JavaRDD<Row> rows = connections.zipPartitions(defragmented,
          (FlatMapFunction2<Iterator<Row>, Iterator<Row>, Row>) (a, b) -> reassemble.call(SortedMerge.of(a, b, schema)));
      return spark.createDataFrame(rows, ResultRows.SCHEMA);
    });
  }

  private static <T> T withoutAdaptiveExecution(SparkSession spark, java.util.function.Supplier<T> plan) {
    String was = spark.conf().get(ADAPTIVE, null);
    spark.conf().set(ADAPTIVE, "false");
    try {
      return plan.get();
    } finally {
      if (was == null) {
        spark.conf().unset(ADAPTIVE);
      } else {
        spark.conf().set(ADAPTIVE, was);
      }
    }
  }

  /** Keeps the partitions below (or from) an index. */
  private static final class PartitionBelow extends AbstractFunction1<Object, Object> implements Serializable {
    private static final long serialVersionUID = 1L;
    private final int limit;
    private final boolean below;

    PartitionBelow(int limit, boolean below) {
      this.limit = limit;
      this.below = below;
    }

    @Override
    public Object apply(Object index) {
      return ((Integer) index < limit) == below;
    }
  }

  /** Step 4: one table, projected from the result to its contract's schema, partitioned by dt, overwritten. */
  static void writeTable(SparkSession spark, Dataset<Row> result, String kind, String table, String path) {
    typed(spark, result, kind, table).write().mode(SaveMode.Overwrite).partitionBy("dt").parquet(path);
  }

  /** The rows of one kind of the result, as the table's contract (names, order, types, nullability). */
  public static Dataset<Row> typed(SparkSession spark, Dataset<Row> result, String kind, String table) {
    StructType schema = TableSchemas.of(table);
    List<Column> columns = new ArrayList<>();
    for (StructField f : schema.fields()) {
      Column c = col(f.name());
      columns.add(f.dataType().equals(DataTypes.TimestampType) ? timestamp_micros(c).as(f.name()) : c);
    }
    Dataset<Row> projected = result.filter(col("kind").equalTo(kind)).select(columns.toArray(Column[]::new));
    // Re-apply the contract's schema (not-null columns stay REQUIRED in Parquet; a projection makes all nullable).
    return spark.createDataFrame(projected.javaRDD(), schema);
  }

  /** Step 5: report.xml, streamed in key order; only one partition of connections is on the driver at a time. */
  public static void writeReport(Dataset<Row> result, ReportXmlWriter report) throws IOException {
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
