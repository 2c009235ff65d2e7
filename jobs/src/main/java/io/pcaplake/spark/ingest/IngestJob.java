package io.pcaplake.spark.ingest;

import static org.apache.spark.sql.functions.arrays_overlap;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import io.pcaplake.capture.CaptureInfo;
import io.pcaplake.lake.CommitJournal;
import io.pcaplake.lake.LakeLock;
import io.pcaplake.lake.LakePaths;
import io.pcaplake.lake.Manifest;
import io.pcaplake.report.ReportXmlWriter;
import io.pcaplake.spark.flows.FlowsJob;
import io.pcaplake.spark.flows.FlowsOptions;
import io.pcaplake.spark.flows.ResultRows;
import io.pcaplake.spark.flows.TableSchemas;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code pcaplake ingest}: capture archives into a lake, incrementally, idempotently and atomically
 * ({@code docs/lake.md}).
 * <ol>
 *   <li>take the lake's lock ({@link LakeLock}); finish an interrupted commit or discard a failed run's staging
 *       ({@link CommitJournal#recover});</li>
 *   <li>plan on the driver ({@link IngestPlan}): list, fingerprint and sniff the inputs, compare with the
 *       {@link Manifest}; nothing new: done, no Spark;</li>
 *   <li>add context: captures of earlier runs holding connections that were still open at the end of the last run
 *       (from the manifest), and, for re-ingested files, the other files of their connections already in the lake;
 *   </li>
 *   <li>reassemble run files + context together with the flows job's core ({@link FlowsJob#reassemble}); keep the
 *       connections that have packets in the run's files (with their exchanges and anomalies) and the run files'
 *       own capture-level rows;</li>
 *   <li>stage every table under {@code _pcaplake/staging/RUN/}: the new rows, plus, for each lake file holding rows
 *       this run replaces (same {@code flow_id}, or same {@code capture_file} for capture-level rows, captures and
 *       packets), that file's other rows; the report; the run's manifest file;</li>
 *   <li>commit: write the journal (the commit point), move the staged files in, delete the rewritten lake files,
 *       move the manifest file in last.</li>
 * </ol>
 * Every connection is in the lake once: a connection found again (it continued in this run, or its file is
 * re-ingested) replaces its earlier rows.
 */
public final class IngestJob {
  private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);
  /** Test-only fault injection: the JVM halts (like a kill -9) at the named point ({@code docs/lake.md}). */
  static final String HALT_PROPERTY = "pcaplake.test.halt";
  /** Zeek states of a connection that has not ended (no FIN both ways, no RST): it may go on in the next files. */
  static final Set<String> OPEN_STATES = Set.of("S0", "S1", "S2", "S3", "OTH");
  /** An open connection idle this long before the end of a run's captures is considered over. */
  static final long CONTEXT_IDLE_NS = 15L * 60 * 1_000_000_000L;
  static final List<String> TABLES = List.of("flows", "http", "anomalies", "captures");
  private static final String TIMESTAMP_TYPE = "spark.sql.parquet.outputTimestampType";
  private static final String SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions";
  private static final String FILE = "_file";
  private static final String DOOMED = "_doomed";
  static final long NS_PER_DAY = 86_400_000_000_000L;

  private IngestJob() { }

  /** spark-submit entry: {@code IngestJob LAKE INPUT...}; the master comes from spark-submit. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: IngestJob LAKE INPUT...");
      System.exit(2);
    }
    SparkSession spark = SparkSession.builder().appName("pcaplake ingest").getOrCreate();
    try {
      IngestOptions o = IngestOptions.of(List.of(args).subList(1, args.length), args[0]);
      run(spark.sparkContext().hadoopConfiguration(), o, () -> spark).print(System.out);
    } finally {
      spark.stop();
    }
  }

  /**
   * Runs one ingest. The session is asked for only when there is something to read, so an up-to-date lake is
   * checked in seconds.
   */
  public static IngestSummary run(Configuration conf, IngestOptions o, Supplier<SparkSession> session)
      throws IOException {
    return run(conf, o, session, IngestEngine.SPARK, IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
  }

  /**
   * Runs one ingest with the given engine, the Spark master being the {@code spark.master} system property (set by
   * {@code scripts/pcaplake} and spark-submit).
   */
  public static IngestSummary run(Configuration conf, IngestOptions o, Supplier<SparkSession> session,
                                  IngestEngine engine, long localMaxBytes) throws IOException {
    return run(conf, o, session, engine, localMaxBytes, System.getProperty("spark.master"));
  }

  /**
   * Runs one ingest with the given engine ({@code docs/lake.md}, "Engines"): {@link IngestEngine#AUTO} takes the
   * local engine when the Spark master the session would have is local (or none is known), the new input bytes total
   * under {@code localMaxBytes} and the run writes nothing only Spark writes ({@link LocalIngest#blocker}); Spark
   * otherwise. The local engine never asks for the session.
   *
   * @param master the Spark master the session would use ({@code --master}, else {@code spark.master}), or null
   */
  public static IngestSummary run(Configuration conf, IngestOptions o, Supplier<SparkSession> session,
                                  IngestEngine engine, long localMaxBytes, String master) throws IOException {
    long t0 = System.nanoTime();
    Path root = new Path(o.lake());
    FileSystem fs = root.getFileSystem(conf);
    LakePaths lake = new LakePaths(fs.makeQualified(root));
    fs.mkdirs(lake.meta());
    try (LakeLock lock = LakeLock.acquire(fs, lake, o.runId(), o.lockWait(), o.staleLockAfter())) {
      CommitJournal.Recovery recovery = CommitJournal.recover(fs, lake);
      if (!recovery.isEmpty()) {
        LOG.warn("lake {}: rolled forward {}, discarded staging of {}", lake.root(), recovery.rolledForward(),
            recovery.discarded());
      }
      Manifest manifest = Manifest.load(fs, lake);
      IngestPlan plan = IngestPlan.make(conf, o, manifest);
      if (plan.nothingToDo()) {
        return new IngestSummary(o.runId(), lake.root().toString(), plan.listed(), List.of(), plan.skipped(),
            List.of(), List.of(), List.of(), 0, 0, 0, 0, 0, Map.of(), recovery.rolledForward(), null, false,
            millis(t0), null);
      }
      long newBytes = plan.runFiles().stream().mapToLong(f -> plan.facts().get(f).size()).sum();
      String blocker = engine == IngestEngine.SPARK ? null : LocalIngest.blocker(o);
      String why;
      boolean local;
      if (engine == IngestEngine.SPARK) {
        local = false;
        why = "spark (--engine spark)";
      } else if (engine == IngestEngine.LOCAL) {
        local = blocker == null;
        why = local ? "local (--engine local)"
            : "spark (--engine local asked, but " + blocker + ")";
      } else if (IngestEngine.isCluster(master)) {
        local = false;
        why = "spark (the Spark master " + master + " is a cluster: its executors read the input)";
      } else if (newBytes >= localMaxBytes) {
        local = false;
        why = "spark (" + IngestEngine.human(newBytes) + " of new input >= " + IngestEngine.human(localMaxBytes) + ")";
      } else if (blocker != null) {
        local = false;
        why = "spark (" + blocker + ")";
      } else {
        local = true;
        why = "local (" + IngestEngine.human(newBytes) + " of new input < " + IngestEngine.human(localMaxBytes) + ")";
      }
      LOG.info("lake {}: engine {}", lake.root(), why);
      if (local) {
        return new LocalIngest(conf, fs, lake, o, manifest, plan, recovery, t0, why).execute();
      }
      SparkSession spark = session.get();
      String timestampType = spark.conf().get(TIMESTAMP_TYPE, null);
      spark.conf().set(TIMESTAMP_TYPE, "TIMESTAMP_MICROS");
      // The joins and aggregations around the reassembly work on its (small) result: Spark's default of 200
      // shuffle partitions makes hundreds of tiny tasks per step. One per 128 MiB of capture, at least one per core.
      String shufflePartitions = spark.conf().get(SHUFFLE_PARTITIONS, null);
      long runBytes = plan.runFiles().stream().mapToLong(f -> plan.facts().get(f).size()).sum();
      spark.conf().set(SHUFFLE_PARTITIONS, String.valueOf(Math.max(spark.sparkContext().defaultParallelism(),
          Math.min(2000, runBytes / (128L << 20)))));
      IngestProgress progress = o.progress() ? IngestProgress.start(spark, System.err) : null;
      try {
        return new Run(spark, conf, fs, lake, o, manifest, plan, recovery, t0, progress, why).execute();
      } finally {
        if (progress != null) {
          progress.stop();
        }
        restore(spark, TIMESTAMP_TYPE, timestampType);
        restore(spark, SHUFFLE_PARTITIONS, shufflePartitions);
      }
    }
  }

  private static void restore(SparkSession spark, String key, String value) {
    if (value == null) {
      spark.conf().unset(key);
    } else {
      spark.conf().set(key, value);
    }
  }

  static void haltPoint(String name) {
    if (name.equals(System.getProperty(HALT_PROPERTY))) {
      System.err.println("pcaplake: halting at " + name + " (" + HALT_PROPERTY + ")");
      System.err.flush();
      Runtime.getRuntime().halt(99);
    }
  }

  static long millis(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** One run with work to do. */
  private static final class Run {
    private final SparkSession spark;
    private final Configuration conf;
    private final FileSystem fs;
    private final LakePaths lake;
    private final IngestOptions o;
    private final Manifest manifest;
    private final IngestPlan plan;
    private final CommitJournal.Recovery recovery;
    private final long t0;
    private final IngestProgress progress;
    private final String engine;
    private final Path staging;
    private final List<String> runFiles;
    private final List<CommitJournal.Op> deletes = new ArrayList<>();
    private long replacedConnections;
    /** Partitions (dt) that can hold rows replaced by flow_id. */
    private final List<String> dts = new ArrayList<>();

    Run(SparkSession spark, Configuration conf, FileSystem fs, LakePaths lake, IngestOptions o, Manifest manifest,
        IngestPlan plan, CommitJournal.Recovery recovery, long t0, IngestProgress progress, String engine) {
      this.progress = progress;
      this.engine = engine;
      this.spark = spark;
      this.conf = conf;
      this.fs = fs;
      this.lake = lake;
      this.o = o;
      this.manifest = manifest;
      this.plan = plan;
      this.recovery = recovery;
      this.t0 = t0;
      this.staging = lake.staging(o.runId());
      this.runFiles = plan.runFiles();
    }

    IngestSummary execute() throws IOException {
      fs.delete(staging, true);
      Dataset<Row> lakeFlows = readTable("flows");
      Set<String> context = Replacement.context(conf, manifest, runFiles);
      Dataset<Row> replacedIds = null;
      if (!plan.replaced().isEmpty() && lakeFlows != null) {
        Dataset<Row> touching = lakeFlows.filter(arrays_overlap(col("capture_files"), array(plan.replaced())));
        replacedIds = touching.select("flow_id", "dt").distinct();
        List<String> files = new ArrayList<>();
        for (Row r : touching.select(explode(col("capture_files"))).distinct().collectAsList()) {
          files.add(r.getString(0));
        }
        Replacement.addContext(conf, context, runFiles, files);
      }

      Dataset<Row> result = null;
      Dataset<Row> emitted = null;
      try {
        long inputBytes = 0;
        List<String> inputs = new ArrayList<>(runFiles);
        inputs.addAll(context);
        for (String f : inputs) {
          inputBytes += plan.size(f, conf);
        }
        if (progress != null) {
          progress.totalBytes(inputBytes);
        }
        Dataset<Row> newAnomalies;
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Long> bad = new HashMap<>();
        Dataset<Row> newFlowIds;
        Set<String> nextContext = new LinkedHashSet<>();
        long connections = 0;
        long exchanges = 0;
        Map<String, Long> reasons = new LinkedHashMap<>();
        String reportPath = null;
        if (!inputs.isEmpty()) {
          FlowsOptions fo = new FlowsOptions(inputs, staging.toString(), o.filter(), o.splitSize(), o.runId(),
              o.commandLine(), o.startTime(), o.fingerprintKey(), o.keepSecrets(), o.extractBodies());
          result = FlowsJob.reassemble(spark, fo, inputBytes, null).persist(StorageLevel.MEMORY_AND_DISK());
          emitted = context.isEmpty() ? result : restrict(result, runFiles).persist(StorageLevel.MEMORY_AND_DISK());
          collectCounts(emitted, counts, bad);
          Dataset<Row> flows = emitted.filter(col("kind").equalTo(ResultRows.FLOW));
          newFlowIds = flows.select("flow_id");
          Dataset<Row> deleteIds = replacedIds == null ? newFlowIds : newFlowIds.union(replacedIds.select("flow_id"));
          deleteIds = deleteIds.distinct();
          Dataset<Row> dtSource = replacedIds == null ? flows.select("dt") : flows.select("dt")
              .union(replacedIds.select("dt"));
          for (Row r : dtSource.distinct().collectAsList()) {
            dts.add(r.getString(0));
          }
          connections = stageTable("flows", FlowsJob.typed(spark, emitted, ResultRows.FLOW, "flows"), deleteIds);
          exchanges = stageTable("http", FlowsJob.typed(spark, emitted, ResultRows.HTTP, "http"), deleteIds);
          newAnomalies = FlowsJob.typed(spark, emitted, ResultRows.ANOMALY, "anomalies");
          Dataset<Row> unreadable = unreadableAnomalies();
          stageTable("anomalies", unreadable == null ? newAnomalies : newAnomalies.union(unreadable), deleteIds);
          reasons.putAll(counts(emitted.filter(col("kind").equalTo(ResultRows.ANOMALY)), "reason"));
          long lastTs = counts.values().stream().mapToLong(c -> c[3]).max().orElse(0L);
          for (Row r : flows.filter(col("conn_state").isin(OPEN_STATES.toArray())
                  .and(col("end_ts_ns").geq(lastTs - CONTEXT_IDLE_NS)))
              .select(explode(col("capture_files"))).distinct().collectAsList()) {
            nextContext.add(r.getString(0));
          }
          reportPath = writeReport(emitted);
        } else {
          stageTable("anomalies", unreadableAnomalies(), null);
        }
        plan.unreadable().forEach((f, e) -> reasons.merge("capture.io_error", 1L, Long::sum));
        stageTable("captures", captures(counts, bad), null);
        if (o.packets() && !runFiles.isEmpty()) {
          stagePackets();
        }
        Path manifestFile = new Path(staging, "manifest.tsv");
        Manifest.write(fs, manifestFile, entries(counts), nextContext);
        IngestJob.haltPoint("staged");
        commit(manifestFile);
        long packets = counts.values().stream().mapToLong(c -> c[0]).sum();
        long bytes = runFiles.stream().mapToLong(f -> plan.facts().get(f).size()).sum();
        return new IngestSummary(o.runId(), lake.root().toString(), plan.listed(), plan.newFiles(), plan.skipped(),
            plan.replaced(), new ArrayList<>(plan.unreadable().keySet()), new ArrayList<>(context), bytes, packets,
            connections, replacedConnections, exchanges, reasons, recovery.rolledForward(),
            reportPath == null ? null : lake.report(o.runId()).toString(), true, millis(t0), engine);
      } finally {
        if (emitted != null && emitted != result) {
          emitted.unpersist();
        }
        if (result != null) {
          result.unpersist();
        }
      }
    }

    /** The result rows this run writes: connections with packets in the run's files, and what belongs to them. */
    private Dataset<Row> restrict(Dataset<Row> result, List<String> files) {
      Column kind = col("kind");
      Dataset<Row> flows = result.filter(kind.equalTo(ResultRows.FLOW)
          .and(arrays_overlap(col("capture_files"), array(files))));
      Dataset<Row> ids = flows.select(col("flow_id").as("_fid")).distinct();
      Dataset<Row> keyed = result.filter(kind.equalTo(ResultRows.HTTP)
              .or(kind.equalTo(ResultRows.ANOMALY).and(col("flow_id").isNotNull())))
          .join(ids, col("flow_id").equalTo(col("_fid")), "left_semi");
      Dataset<Row> own = result.filter(kind.equalTo(ResultRows.COUNT)
              .or(kind.equalTo(ResultRows.ANOMALY).and(col("flow_id").isNull())))
          .filter(col("capture_file").isin(files.toArray()));
      return flows.union(keyed).union(own);
    }

    /** Per run file: records, records ok, first ts, last ts (ns); records bad (docs/accounting.md). */
    private void collectCounts(Dataset<Row> emitted, Map<String, long[]> counts, Map<String, Long> bad) {
      // Count rows without a file are the tasks' TCP payload accounting (docs/accounting.md), not per-file counts.
      for (Row r : emitted.filter(col("kind").equalTo(ResultRows.COUNT).and(col("capture_file").isNotNull()))
          .groupBy("capture_file")
          .agg(sum("records"), sum("records_ok"), min("first_ts_ns"), max("last_ts_ns"), sum("records_bad"))
          .collectAsList()) {
        counts.put(r.getString(0), new long[] {r.getLong(1), r.isNullAt(2) ? 0 : r.getLong(2),
            r.isNullAt(3) ? Long.MAX_VALUE : r.getLong(3), r.isNullAt(4) ? Long.MIN_VALUE : r.getLong(4)});
        bad.put(r.getString(0), r.isNullAt(5) ? 0 : r.getLong(5));
      }
    }

    private Dataset<Row> unreadableAnomalies() {
      if (plan.unreadable().isEmpty()) {
        return null;
      }
      List<Row> rows = new ArrayList<>();
      plan.unreadable().forEach((f, e) -> rows.add(RowFactory.create(f, null, null, null, "capture",
          "capture.io_error", e, o.runDate())));
      return spark.createDataFrame(rows, TableSchemas.of("anomalies"));
    }

    private Dataset<Row> captures(Map<String, long[]> counts, Map<String, Long> bad) throws IOException {
      List<Row> rows = new ArrayList<>();
      for (String f : runFiles) {
        IngestPlan.Facts facts = plan.facts().get(f);
        long[] c = counts.getOrDefault(f, new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
        CaptureInfo info = facts.info();
        String format = info.format() + ("none".equals(info.compression()) ? "" : "+" + info.compression());
        String sha = o.sha256() ? Manifest.sha256(new Path(f).getFileSystem(conf), new Path(f)) : null;
        rows.add(RowFactory.create(f, facts.size(), format,
            CollectionConverters.asScala(info.linkTypes()).toSeq(), c[0], ts(c[2], Long.MAX_VALUE),
            ts(c[3], Long.MIN_VALUE), sha, c[1], bad.getOrDefault(f, 0L), o.runId()));
      }
      plan.unreadable().forEach((f, e) -> rows.add(RowFactory.create(f, 0L, "unreadable",
          CollectionConverters.asScala(List.<Integer>of()).toSeq(), 0L, null, null, null, 0L, 1L, o.runId())));
      return spark.createDataFrame(rows, TableSchemas.of("captures"));
    }

    private static Timestamp ts(long ns, long none) {
      return ns == none ? null : Timestamp.from(Instant.ofEpochSecond(0, ns));
    }

    private List<Manifest.Entry> entries(Map<String, long[]> counts) {
      return IngestJob.entries(plan, o, counts);
    }

    /**
     * --packets: one row per record of the run's files (with --filter, per record of the connections the filter
     * keeps: the same verdict as the segments', docs/filter.md), partitioned by the UTC date of the record.
     */
    private void stagePackets() {
      DataFrameReader reader = spark.read().format("pcap");
      if (o.splitSize() != null) {
        reader = reader.option("maxPartitionBytes", String.valueOf(o.splitSize()));
      }
      if (!o.filter().isBlank()) {
        reader = reader.option("filter", o.filter());
      }
      Dataset<Row> p = reader.load(runFiles.toArray(String[]::new));
      // The day in integers (a double division rounds the last ~100 ns before midnight into the next day).
      p = p.withColumn("dt", coalesce(expr("cast(date_add(date'1970-01-01', cast((ts_ns - pmod(ts_ns, "
          + NS_PER_DAY + ")) div " + NS_PER_DAY + " as int)) as string)"), lit(o.runDate())));
      StructType schema = TableSchemas.of("packets");
      stage("packets", contract(p, schema), null, schema);
    }

    /**
     * Stages a table: its new rows plus the surviving rows of every lake file holding a row this run replaces
     * (rows whose {@code flow_id} is in {@code deleteIds}; capture-level rows of the run's files). Returns the
     * number of new rows.
     */
    private long stageTable(String table, Dataset<Row> rows, Dataset<Row> deleteIds) {
      if (rows == null) {
        return 0;
      }
      return stage(table, rows, deleteIds, TableSchemas.of(table));
    }

    private long stage(String table, Dataset<Row> rows, Dataset<Row> deleteIds, StructType schema) {
      Dataset<Row> all = rows;
      Dataset<Row> existing = readTable(table, schema);
      if (existing != null) {
        List<String> affected = affectedFiles(existing, table, deleteIds);
        if (!affected.isEmpty()) {
          Dataset<Row> marked = mark(spark.read().schema(schema).option("basePath", lake.table(table).toString())
              .parquet(affected.toArray(String[]::new)), table, deleteIds).persist(StorageLevel.MEMORY_AND_DISK());
          if (table.equals("flows")) {
            replacedConnections = marked.filter(col(DOOMED)).count();
          }
          Dataset<Row> survivors = marked.filter(functions.not(col(DOOMED))).select(columns(schema));
          all = rows.select(columns(schema)).union(survivors);
          affected.forEach(f -> deletes.add(CommitJournal.Op.delete(new Path(f))));
        }
      }
      Dataset<Row> typed = all == rows ? rows : spark.createDataFrame(all.javaRDD(), schema);
      Path out = new Path(staging, table);
      if (List.of(schema.fieldNames()).contains("dt")) {
        typed.write().partitionBy("dt").parquet(out.toString());
      } else {
        typed.coalesce(1).write().parquet(out.toString());
      }
      return rows.count();
    }

    /** Adds {@value #DOOMED}: the row is replaced by this run. */
    private Dataset<Row> mark(Dataset<Row> rows, String table, Dataset<Row> deleteIds) {
      Column byFile = col("capture_file").isin(runFilesAndUnreadable().toArray());
      Dataset<Row> d = rows;
      boolean keyed = deleteIds != null && List.of(rows.columns()).contains("flow_id");
      if (keyed) {
        Dataset<Row> ids = deleteIds.select(col("flow_id").as("_del_id"));
        d = rows.join(ids, col("flow_id").equalTo(col("_del_id")), "left_outer");
      }
      Column byId = keyed ? col("_del_id").isNotNull() : lit(false);
      Column doomed = switch (Replacement.of(table)) {
        case ID -> byId;
        case ID_OR_FILE -> byId.or(col("flow_id").isNull().and(byFile));
        case FILE -> byFile;
      };
      d = d.withColumn(DOOMED, coalesce(doomed, lit(false)));
      return keyed ? d.drop("_del_id") : d;
    }

    /**
     * Lake files holding rows this run replaces. Rows replaced by flow_id have the dt of their connection's start,
     * which is the dt of the new row (same flow_id, same start) or of a re-ingested file's connection: only those
     * partitions are joined. Capture-level rows are found by file (a pushed-down filter).
     */
    private List<String> affectedFiles(Dataset<Row> existing, String table, Dataset<Row> deleteIds) {
      Set<String> files = new LinkedHashSet<>();
      boolean keyed = deleteIds != null && List.of(existing.columns()).contains("flow_id");
      if (keyed && !dts.isEmpty()) {
        Dataset<Row> ids = deleteIds.select(col("flow_id").as("_del_id"));
        for (Row r : existing.filter(col("dt").isin(dts.toArray()))
            .join(ids, col("flow_id").equalTo(col("_del_id")), "left_semi").select(FILE).distinct()
            .collectAsList()) {
          files.add(decode(r.getString(0)));
        }
      }
      if (Replacement.of(table).byFile()) {
        Column byFile = col("capture_file").isin(runFilesAndUnreadable().toArray());
        if (Replacement.of(table).byId()) {
          byFile = byFile.and(col("flow_id").isNull());
        }
        for (Row r : existing.filter(byFile).select(FILE).distinct().collectAsList()) {
          files.add(decode(r.getString(0)));
        }
      }
      return new ArrayList<>(files);
    }

    private List<String> runFilesAndUnreadable() {
      List<String> l = new ArrayList<>(runFiles);
      l.addAll(plan.unreadable().keySet());
      return l;
    }

    private Dataset<Row> readTable(String table) {
      return readTable(table, TableSchemas.of(table));
    }

    /** The lake's rows of a table with their file ({@value #FILE}), or null when the table has no files yet. */
    private Dataset<Row> readTable(String table, StructType schema) {
      Path dir = lake.table(table);
      try {
        if (!fs.exists(dir) || !hasParquet(dir)) {
          return null;
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      Dataset<Row> d = spark.read().schema(schema).parquet(dir.toString());
      return d.withColumn(FILE, col("_metadata.file_path"));
    }

    private boolean hasParquet(Path dir) throws IOException {
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
      while (it.hasNext()) {
        if (it.next().getPath().getName().startsWith("part-")) {
          return true;
        }
      }
      return false;
    }

    private String writeReport(Dataset<Row> emitted) throws IOException {
      Path report = new Path(staging, "reports/" + o.runId() + "/report.xml");
      try (OutputStream out = fs.create(report, true);
           ReportXmlWriter w = new ReportXmlWriter(out,
               new ReportXmlWriter.Options("pcaplake", "0.1.0", o.commandLine(), "", o.startTime(), null))) {
        FlowsJob.writeReport(emitted, w);
      }
      return report.toString();
    }

    private void commit(Path manifestFile) throws IOException {
      IngestJob.commit(fs, lake, o, manifest, staging, deletes, manifestFile);
    }
  }

  /**
   * The run files' manifest entries; {@code counts} per file: records, records ok, first ts, last ts (ns;
   * {@link Long#MAX_VALUE} / {@link Long#MIN_VALUE} when none).
   */
  static List<Manifest.Entry> entries(IngestPlan plan, IngestOptions o, Map<String, long[]> counts) {
    List<Manifest.Entry> l = new ArrayList<>();
    for (String f : plan.runFiles()) {
      IngestPlan.Facts facts = plan.facts().get(f);
      long[] c = counts.get(f);
      Long first = c == null || c[2] == Long.MAX_VALUE ? null : c[2];
      Long last = c == null || c[3] == Long.MIN_VALUE ? null : c[3];
      l.add(new Manifest.Entry(f, facts.size(), facts.mtimeMillis(), facts.fingerprint(), o.runId(), first, last));
    }
    return l;
  }

  /**
   * Commits a staged run, whichever engine staged it: journal, moves of the staged part files and report, deletes
   * of the rewritten lake files, manifest file last (see {@link CommitJournal}).
   */
  static void commit(FileSystem fs, LakePaths lake, IngestOptions o, Manifest manifest, Path staging,
                     List<CommitJournal.Op> deletes, Path manifestFile) throws IOException {
    List<CommitJournal.Op> ops = new ArrayList<>();
    String prefix = staging.toUri().getPath() + "/";
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(staging, true);
    while (it.hasNext()) {
      Path p = it.next().getPath();
      String name = p.getName();
      if (name.startsWith("part-") || name.equals("report.xml")) {
        String rel = p.toUri().getPath().substring(prefix.length());
        ops.add(CommitJournal.Op.move(p, new Path(lake.root(), rel)));
      }
    }
    ops.addAll(deletes);
    // Every table exists in the lake, if only as an empty directory, so that queries on it work from the start.
    for (String t : o.packets() ? List.of("flows", "http", "anomalies", "captures", "packets") : TABLES) {
      fs.mkdirs(lake.table(t));
    }
    ops.add(CommitJournal.Op.manifest(manifestFile, manifest.nextFile(lake, o.runId())));
    CommitJournal journal = new CommitJournal(o.runId(), ops);
    journal.write(fs, lake);
    IngestJob.haltPoint("journal");
    journal.apply(fs, lake, i -> IngestJob.haltPoint("step-" + i));
  }

  /**
   * The data source's rows in the table contract's column order, with its column comments; the contract and the
   * source's schema must agree in names, types and nullability ({@code packets.avsc}, {@code PcapSchemas}).
   */
  static Dataset<Row> contract(Dataset<Row> rows, StructType schema) {
    Column[] columns = java.util.Arrays.stream(schema.fields())
        .map(f -> col(f.name()).as(f.name(), f.metadata())).toArray(Column[]::new);
    Dataset<Row> d = rows.select(columns);
    if (!d.schema().equals(schema)) {
      throw new IllegalStateException("rows do not match the table contract: " + d.schema().treeString() + " vs "
          + schema.treeString());
    }
    return d;
  }

  private static Column array(List<String> values) {
    return functions.array(values.stream().map(functions::lit).toArray(Column[]::new));
  }

  private static Column[] columns(StructType schema) {
    return java.util.Arrays.stream(schema.fieldNames()).map(functions::col).toArray(Column[]::new);
  }

  private static String decode(String filePath) {
    try {
      return new Path(new URI(filePath)).toString();
    } catch (URISyntaxException e) {
      return filePath;
    }
  }

  private static Map<String, Long> counts(Dataset<Row> rows, String column) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Row r : rows.groupBy(col(column)).count().collectAsList()) {
      m.put(r.getString(0), r.getLong(1));
    }
    return m;
  }
}
