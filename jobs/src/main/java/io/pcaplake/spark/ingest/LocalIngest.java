package io.pcaplake.spark.ingest;

import io.pcaplake.capture.ByteSource;
import io.pcaplake.capture.CaptureInfo;
import io.pcaplake.capture.CaptureReader;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.ProblemSink;
import io.pcaplake.filter.CaptureFilter;
import io.pcaplake.filter.FilterSyntaxException;
import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.hadoop.HadoopByteSource;
import io.pcaplake.http.HttpRecord;
import io.pcaplake.http.SecretsOptions;
import io.pcaplake.lake.CommitJournal;
import io.pcaplake.lake.LakePaths;
import io.pcaplake.lake.Manifest;
import io.pcaplake.local.CaptureInput;
import io.pcaplake.local.LocalEngine;
import io.pcaplake.local.LocalOptions;
import io.pcaplake.local.ParquetTables;
import io.pcaplake.local.TableSink;
import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.packet.PacketDecoder;
import io.pcaplake.packet.RecordAccount;
import io.pcaplake.report.ReportXmlWriter;
import io.pcaplake.spark.flows.TableSchemas;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local engine's step of {@code pcaplake ingest --engine local} ({@code docs/lake.md}, "Engines"): the run's new
 * files, merged in time order with the context files, go through {@link LocalEngine} (one process, no SparkSession)
 * into the staging directory with {@link ParquetTables} ({@code flows}, {@code http}, {@code anomalies}, same
 * contracts and {@code dt} partitioning as the Spark engine), plus the {@code captures} rows from the engine's
 * per-file record accounts, the run's {@code report.xml} ({@link ReportXmlWriter} in the Spark engine's order,
 * {@link SortedReport}) and the manifest file with the next run's context files; then the same commit as the Spark
 * engine ({@link IngestJob#commit}: journal, moves, deletes, manifest last) under the same lock.
 *
 * <p>Rows already in the lake are replaced by the Spark engine's rules ({@link Replacement}): with context files only
 * the connections with packets in the run's files are written; the lake files holding replaced rows are found and
 * rewritten without them by {@link LocalRewrite} into the run's staged files, and deleted at the commit. With
 * {@code --packets}, a second pass over the run's files writes the {@code packets} rows ({@link #writePackets}), as the
 * Spark engine's second pass does. Only {@code --extract-bodies} is not for it ({@link #blocker}).
 */
final class LocalIngest {
  private static final Logger LOG = LoggerFactory.getLogger(LocalIngest.class);
  private final Configuration conf;
  private final FileSystem fs;
  private final LakePaths lake;
  private final IngestOptions o;
  private final Manifest manifest;
  private final IngestPlan plan;
  private final CommitJournal.Recovery recovery;
  private final long t0;
  private final String engine;
  private final Path staging;

  LocalIngest(Configuration conf, FileSystem fs, LakePaths lake, IngestOptions o, Manifest manifest, IngestPlan plan,
              CommitJournal.Recovery recovery, long t0, String engine) {
    this.conf = conf;
    this.fs = fs;
    this.lake = lake;
    this.o = o;
    this.manifest = manifest;
    this.plan = plan;
    this.recovery = recovery;
    this.t0 = t0;
    this.engine = engine;
    this.staging = lake.staging(o.runId());
  }

  /** Why the local engine cannot run this ingest (an output only Spark writes), or null. */
  static String blocker(IngestOptions o) {
    if (o.extractBodies() != null) {
      return "--extract-bodies is written by Spark";
    }
    return null;
  }

  IngestSummary execute() throws IOException {
    fs.delete(staging, true);
    List<String> runFiles = plan.runFiles();
    Set<String> byFile = new LinkedHashSet<>(runFiles);
    byFile.addAll(plan.unreadable().keySet());
    Configuration c = new Configuration(conf);
    LocalRewrite lakeRows = new LocalRewrite(conf, fs, lake);
    Set<String> context = Replacement.context(conf, manifest, runFiles);
    Map<String, String> replacedIds = Map.of();
    if (!plan.replaced().isEmpty()) {
      Set<String> theirFiles = new LinkedHashSet<>();
      replacedIds = lakeRows.touching(plan.replaced(), theirFiles);
      Replacement.addContext(conf, context, runFiles, theirFiles);
    }
    Rows rows = new Rows(new HashSet<>(runFiles), !context.isEmpty(), lakeRows.partitions());
    String reportPath = null;
    List<CommitJournal.Op> deletes = new ArrayList<>();
    long replaced = 0;
    List<GenericRecord> captures = new ArrayList<>();
    try (ParquetTables tables = new ParquetTables(staging.toString(), o.runId(), o.runDate(), c)) {
      rows.tables = tables;
      LocalProgress progress = null;
      if (!runFiles.isEmpty()) {
        Path report = new Path(staging, "reports/" + o.runId() + "/report.xml");
        try (OutputStream out = fs.create(report, true);
             ReportXmlWriter w = new ReportXmlWriter(out,
                 new ReportXmlWriter.Options("pcaplake", "0.1.0", o.commandLine(), "", o.startTime(), null));
             SortedReport sorted = new SortedReport(fs, new Path(staging, "report-sort"), w, SortedReport.LIMIT)) {
          rows.report = sorted;
          // The Spark engine breaks ties in time by capture_file name: the local engine merges in that order too.
          List<String> names = new ArrayList<>(runFiles);
          names.addAll(context);
          List<CaptureInput> inputs = new ArrayList<>();
          long total = 0;
          for (String f : names) {
            total += plan.size(f, conf);
          }
          if (o.packets()) {   // the second pass reads the run's files again: the line's total and ETA count it
            for (String f : runFiles) {
              total += plan.size(f, conf);
            }
          }
          progress = o.progress() ? new LocalProgress(System.err, total) : null;
          for (String f : names.stream().sorted().toList()) {
            inputs.add(new CaptureInput(f, counted(progress, HadoopByteSource.of(new Path(f), conf))));
          }
          LocalOptions lo = LocalOptions.defaults().withFilter(filter(o.filter()))
              .withSecrets(new SecretsOptions(o.fingerprintKey(), o.keepSecrets()));
          if (progress != null) {
            rows.progress = progress;
            progress.connections(() -> rows.connections);
            progress.start();
          }
          try {
            LocalEngine.run(inputs, lo, rows);
          } catch (IOException | RuntimeException e) {
            if (progress != null) {
              progress.stop();
            }
            throw e;
          }
          rows.finish();
          sorted.finish();
        }
        reportPath = lake.report(o.runId()).toString();
        try {
          if (o.packets()) {
            if (progress != null) {
              progress.phase("packets pass");
            }
            writePackets(tables, runFiles, filter(o.filter()), c, progress);
          }
        } finally {
          if (progress != null) {
            progress.stop();
          }
        }
      }
      plan.unreadable().forEach((f, e) -> tables.anomaly(
          new AnomalyRecord(f, null, null, null, "capture", "capture.io_error", e)));
      // Rows already in the lake that this run replaces: their files are rewritten without them into the staging
      // (the run's part file of their partition) and deleted at the commit.
      Set<String> ids = new HashSet<>(rows.lakeIds);
      ids.addAll(replacedIds.keySet());
      Set<String> dts = new HashSet<>(rows.dts);
      dts.addAll(replacedIds.values());
      Set<Path> capturesFiles = new LinkedHashSet<>();
      for (Path f : lakeRows.partFiles("captures", null)) {
        if (lakeRows.holdsReplaced(f, "captures", null, byFile)) {
          capturesFiles.add(f);
        }
      }
      List<String> rewritten = new ArrayList<>(ParquetTables.TABLES);
      if (o.packets() && !runFiles.isEmpty()) {
        rewritten.add(ParquetTables.PACKETS);  // replaced by file, as the Spark engine's packets stage does
      }
      for (String t : rewritten) {
        Set<Path> affected = new LinkedHashSet<>();
        if (!ids.isEmpty() && Replacement.of(t).byId()) {
          for (Path f : lakeRows.partFiles(t, dts)) {
            if (lakeRows.holdsReplaced(f, t, ids, byFile)) {
              affected.add(f);
            }
          }
        }
        // Capture-level rows of a file are in the lake only if the file has a captures row.
        if (Replacement.of(t).byFile() && !capturesFiles.isEmpty()) {
          for (Path f : lakeRows.partFiles(t, null)) {
            if (!affected.contains(f) && lakeRows.holdsReplaced(f, t, null, byFile)) {
              affected.add(f);
            }
          }
        }
        for (Path f : affected) {
          String dt = LocalRewrite.dt(f.getParent());
          long n = lakeRows.survivors(f, t, ids, byFile, r -> tables.copy(t, dt, r));
          if (t.equals("flows")) {
            replaced += n;
          }
          deletes.add(CommitJournal.Op.delete(f));
        }
      }
      for (Path f : capturesFiles) {
        lakeRows.survivors(f, "captures", Set.of(), byFile, captures::add);
        deletes.add(CommitJournal.Op.delete(f));
      }
    }
    Map<String, Long> reasons = new LinkedHashMap<>(rows.reasons);
    plan.unreadable().forEach((f, e) -> reasons.merge("capture.io_error", 1L, Long::sum));
    writeCaptures(c, rows.counts, rows.bad, captures);
    long lastTs = rows.counts.values().stream().mapToLong(x -> x[3]).max().orElse(0L);
    Set<String> nextContext = new LinkedHashSet<>();
    rows.open.forEach((files, endTs) -> {
      if (Replacement.activeAtEnd(endTs, lastTs)) {
        nextContext.addAll(files);
      }
    });
    Path manifestFile = new Path(staging, "manifest.tsv");
    Manifest.write(fs, manifestFile, IngestJob.entries(plan, o, rows.counts), nextContext);
    IngestJob.haltPoint("staged");
    IngestJob.commit(fs, lake, o, manifest, staging, deletes, manifestFile);
    long packets = rows.counts.values().stream().mapToLong(x -> x[0]).sum();
    long bytes = runFiles.stream().mapToLong(f -> plan.facts().get(f).size()).sum();
    return new IngestSummary(o.runId(), lake.root().toString(), plan.listed(), plan.newFiles(), plan.skipped(),
        plan.replaced(), new ArrayList<>(plan.unreadable().keySet()), new ArrayList<>(context), bytes, packets,
        rows.connections, replaced, rows.exchanges, reasons, recovery.rolledForward(), reportPath, true,
        IngestJob.millis(t0), engine);
  }

  /**
   * {@code --packets}: one {@code packets} row per record of the run's files that the filter keeps (connection
   * semantics, as {@code format("pcap").option("filter", ..)}: {@code docs/filter.md}), each file read whole with its
   * own decoder. The problems of this pass were reported by the first one (anomalies); an I/O error or a reader
   * failure ends the file's rows here and is logged, as the Spark engine's reader does.
   */
  private static void writePackets(ParquetTables tables, List<String> runFiles, CaptureFilter filter,
                                   Configuration c, LocalProgress progress) {
    CaptureFilter keep = filter.matchesAll() ? null : filter;
    for (String f : runFiles.stream().sorted().toList()) {
      PacketDecoder decoder = new PacketDecoder();
      try (CaptureReader r = Captures.open(counted(progress, HadoopByteSource.of(new Path(f), c)),
          ProblemSink.IGNORE)) {
        while (next(f, r)) {
          DecodedPacket p = decoder.decode(r.data(), r.dataOffset(), r.caplen(), r.origlen(), r.linkType(),
              r.fcsLength(), r.timestampNanos(), r.recordOffset(), ProblemSink.IGNORE);
          if (keep == null || keep.matchesEitherDirection(p)) {
            tables.packet(f, r, p);
          }
        }
      } catch (IOException e) {
        LOG.warn("{}: packets rows end here: {}", f, e.toString());
      }
    }
  }

  /** {@code source}, its reads counted into the progress line when there is one. */
  private static ByteSource counted(LocalProgress progress, ByteSource source) {
    return progress == null ? source : progress.counting(source);
  }

  /** The reader's next record; false at the end, or when the reader fails (a bug: logged, the file's rows end). */
  private static boolean next(String file, CaptureReader r) throws IOException {
    try {
      return r.next();
    } catch (RuntimeException e) {
      LOG.error("{}: capture reader failed, packets rows end here", file, e);
      return false;
    }
  }

  private static CaptureFilter filter(String expression) throws IOException {
    if (expression == null || expression.isBlank()) {
      return CaptureFilter.all();
    }
    try {
      return CaptureFilter.parse(expression);
    } catch (FilterSyntaxException e) {
      throw new IOException("bad filter: " + e.getMessage(), e);
    }
  }

  /**
   * The {@code captures} rows of the run's files and of the unreadable ones, as the Spark engine writes them, and the
   * rows of rewritten lake files that this run does not replace.
   */
  private void writeCaptures(Configuration c, Map<String, long[]> counts, Map<String, Long> bad,
                             List<GenericRecord> survivors) throws IOException {
    Schema schema = TableSchemas.avro("captures");
    Path file = new Path(staging, "captures/part-00000-" + o.runId() + ".snappy.parquet");
    try (ParquetWriter<GenericRecord> w = AvroParquetWriter.<GenericRecord>builder(
            HadoopOutputFile.fromPath(file, c))
        .withSchema(schema).withConf(c).withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
      for (String f : plan.runFiles()) {
        IngestPlan.Facts facts = plan.facts().get(f);
        long[] n = counts.getOrDefault(f, new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
        CaptureInfo info = facts.info();
        GenericRecord r = new GenericData.Record(schema);
        r.put("capture_file", f);
        r.put("bytes", facts.size());
        r.put("format", info.format() + ("none".equals(info.compression()) ? "" : "+" + info.compression()));
        r.put("link_types", new ArrayList<>(info.linkTypes()));
        r.put("packets", n[0]);
        r.put("first_ts", n[2] == Long.MAX_VALUE ? null : Math.floorDiv(n[2], 1000L));
        r.put("last_ts", n[3] == Long.MIN_VALUE ? null : Math.floorDiv(n[3], 1000L));
        r.put("sha256", o.sha256() ? Manifest.sha256(new Path(f).getFileSystem(conf), new Path(f)) : null);
        r.put("records_ok", n[1]);
        r.put("records_bad", bad.getOrDefault(f, 0L));
        r.put("ingest_run", o.runId());
        w.write(r);
      }
      for (String f : plan.unreadable().keySet()) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("capture_file", f);
        r.put("bytes", 0L);
        r.put("format", "unreadable");
        r.put("link_types", new ArrayList<Integer>());
        r.put("packets", 0L);
        r.put("records_ok", 0L);
        r.put("records_bad", 1L);
        r.put("ingest_run", o.runId());
        w.write(r);
      }
      for (GenericRecord r : survivors) {
        w.write(r);
      }
    }
  }

  /**
   * The sink: rows to the tables, connections to the report, counts for captures, manifest and summary. With
   * context files ({@code restrict}), only connections with packets in the run's files are written
   * ({@link Replacement#emits}), with their http rows and anomalies (held until the connection's row decides), and
   * only the run files' capture-level rows; the context files' own rows are in the lake already.
   */
  private static final class Rows implements TableSink {
    ParquetTables tables;
    SortedReport report;
    LocalProgress progress;
    final Set<String> runFiles;
    final boolean restrict;
    final Set<String> lakeDts;
    final Map<String, long[]> counts = new LinkedHashMap<>();
    final Map<String, Long> bad = new HashMap<>();
    final Map<String, Long> reasons = new LinkedHashMap<>();
    /** Connections written still open: the last end time per set of capture files (not one entry per connection). */
    final Map<List<String>, Long> open = new HashMap<>();
    /** dt of every connection written. */
    final Set<String> dts = new HashSet<>();
    /** flow_ids written whose dt partition is in the lake: rows with them there are replaced. */
    final Set<String> lakeIds = new HashSet<>();
    /** With restrict: the rows of connections not decided yet, and the connections written. */
    final Map<String, List<Object>> held = new HashMap<>();
    final Set<String> written = new HashSet<>();
    volatile long connections;
    long exchanges;

    Rows(Set<String> runFiles, boolean restrict, Set<String> lakeDts) {
      this.runFiles = runFiles;
      this.restrict = restrict;
      this.lakeDts = lakeDts;
    }

    @Override
    public void started(LongSupplier recordsRead) {
      if (progress != null) {
        progress.records(recordsRead);
      }
    }

    @Override
    public void flow(ConnectionRecord c, int httpExchanges) {
      List<Object> mine = restrict ? held.remove(c.flowId()) : null;
      if (restrict && !Replacement.emits(c.captureFiles(), runFiles)) {
        return;  // wholly inside the context files: in the lake already
      }
      if (mine != null) {
        mine.forEach(this::write);
      }
      if (restrict) {
        written.add(c.flowId());
      }
      tables.flow(c, httpExchanges);
      connections++;
      dts.add(c.dt());
      if (lakeDts.contains(c.dt())) {
        lakeIds.add(c.flowId());
      }
      if (IngestJob.OPEN_STATES.contains(c.connState())) {
        open.merge(c.captureFiles(), c.endTs(), Math::max);
      }
      try {
        report.connection(c);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void http(HttpRecord h) {
      keyed(h.flowId(), h);
    }

    @Override
    public void anomaly(AnomalyRecord a) {
      if (a.flowId() != null) {
        keyed(a.flowId(), a);
      } else if (!restrict || runFiles.contains(a.captureFile())) {
        write(a);
      }
    }

    private void keyed(String flowId, Object row) {
      if (!restrict || written.contains(flowId)) {
        write(row);
      } else {
        held.computeIfAbsent(flowId, k -> new ArrayList<>()).add(row);
      }
    }

    private void write(Object row) {
      if (row instanceof HttpRecord h) {
        tables.http(h);
        exchanges++;
      } else {
        AnomalyRecord a = (AnomalyRecord) row;
        tables.anomaly(a);
        reasons.merge(a.reason(), 1L, Long::sum);
      }
    }

    /** The end of the input: rows of connections never written are dropped. */
    void finish() {
      held.clear();
    }

    @Override
    public void captureDone(String file, RecordAccount a, Long firstTsNs, Long lastTsNs) {
      if (!runFiles.contains(file)) {
        return;  // a context file: its rows are in the lake
      }
      counts.put(file, new long[] {a.packets(), a.recordsOk(), firstTsNs == null ? Long.MAX_VALUE : firstTsNs,
          lastTsNs == null ? Long.MIN_VALUE : lastTsNs});
      bad.put(file, a.recordsBad());
    }
  }
}
