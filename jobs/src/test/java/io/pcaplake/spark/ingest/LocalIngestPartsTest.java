package io.pcaplake.spark.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.capture.ByteSource;
import io.pcaplake.capture.FileByteSource;
import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.local.CaptureInput;
import io.pcaplake.local.LocalEngine;
import io.pcaplake.local.LocalOptions;
import io.pcaplake.local.ParquetTables;
import io.pcaplake.local.TableSink;
import io.pcaplake.report.ReportXmlWriter;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.SampleCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parts of the local engine's ingest, without Spark: the report sorted into the Spark engine's order through spill
 * files equals the same connections sorted in memory; the progress line counts the bytes the engine reads.
 */
class LocalIngestPartsTest {
  @TempDir Path dir;

  @Test
  void reportSpilledInSortedRunsEqualsTheReportSortedInMemory() throws IOException {
    Path sample = dir.resolve("sample.pcapng");
    SampleCapture.write(sample, Format.PCAPNG);
    List<ConnectionRecord> connections = new ArrayList<>();
    LocalEngine.run(List.of(CaptureInput.of(sample)), LocalOptions.defaults(), new TableSink() {
      @Override
      public synchronized void flow(ConnectionRecord c, int httpExchanges) {
        connections.add(c);
      }
    });
    assertTrue(connections.size() > 100, "connections: " + connections.size());
    ReportXmlWriter.Options options = new ReportXmlWriter.Options("pcaplake", "0.1.0", "test", "",
        Instant.EPOCH, null);

    ByteArrayOutputStream spilled = new ByteArrayOutputStream();
    FileSystem fs = FileSystem.getLocal(new Configuration());
    org.apache.hadoop.fs.Path spills = new org.apache.hadoop.fs.Path(dir.resolve("spills").toUri());
    int runs;
    try (ReportXmlWriter w = new ReportXmlWriter(spilled, options);
         SortedReport sorted = new SortedReport(fs, spills, w, 8 << 10)) {
      for (ConnectionRecord c : connections) {
        sorted.connection(c);
      }
      runs = sorted.spills();
      sorted.finish();
    }
    assertTrue(runs > 5, "spilled runs: " + runs);
    assertFalse(Files.exists(dir.resolve("spills")), "spill files deleted");

    List<ConnectionRecord> inOrder = new ArrayList<>(connections);
    inOrder.sort(Comparator.comparing((ConnectionRecord c) -> c.key().encode(), java.util.Arrays::compareUnsigned)
        .thenComparingInt(ConnectionRecord::connectionIndex));
    ByteArrayOutputStream direct = new ByteArrayOutputStream();
    try (ReportXmlWriter w = new ReportXmlWriter(direct, options)) {
      for (ConnectionRecord c : inOrder) {
        w.connection(c);
      }
    }
    List<String> a = IngestEngineTest.fileobjects(spilled.toString(StandardCharsets.UTF_8));
    List<String> b = IngestEngineTest.fileobjects(direct.toString(StandardCharsets.UTF_8));
    assertTrue(b.size() >= connections.size());
    assertEquals(b, a);
    assertEquals(totals(direct.toString(StandardCharsets.UTF_8)), totals(spilled.toString(StandardCharsets.UTF_8)));
  }

  private static String totals(String xml) {
    return xml.substring(xml.indexOf("<total_flows>"), xml.indexOf("<rusage>"));
  }

  @Test
  void parquetTablesKeepsAFewWritersOpenAndStartsTheNextPartFileForALaterRow() throws IOException {
    Path out = dir.resolve("out");
    int days = 8;
    long day = 86_400_000_000_000L;
    try (ParquetTables t = new ParquetTables(out.toString(), "r", "2026-01-01", new Configuration())) {
      for (int round = 0; round < 3; round++) {
        for (int d = 0; d < days; d++) {
          t.anomaly(new AnomalyRecord("f", (long) round, null, d * day + round, "tcp", "tcp.x", "day " + d));
        }
      }
    }
    // 8 partitions written round-robin with at most 6 writers open: each partition has one part file per round.
    for (int d = 0; d < days; d++) {
      String dt = java.time.LocalDate.ofEpochDay(d).toString();
      List<String> files;
      try (var s = Files.list(out.resolve("anomalies/dt=" + dt))) {
        files = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("part-")).sorted().toList();
      }
      assertEquals(List.of("part-00000-r.snappy.parquet", "part-00001-r.snappy.parquet",
          "part-00002-r.snappy.parquet"), files, dt);
      List<String> rows = new ArrayList<>();
      for (String f : files) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(out.resolve("anomalies/dt=" + dt).resolve(f)
            .toUri());
        try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(
            HadoopInputFile.fromPath(p, new Configuration())).build()) {
          for (GenericRecord g = r.read(); g != null; g = r.read()) {
            rows.add(g.get("record_index") + " " + g.get("detail"));
          }
        }
      }
      assertEquals(List.of("0 day " + d, "1 day " + d, "2 day " + d), rows, dt);
    }
  }

  @Test
  void progressLineCountsTheBytesReadOfTheTotal() throws IOException {
    Path sample = dir.resolve("sample.pcap");
    SampleCapture.write(sample, Format.PCAP);
    long size = Files.size(sample);
    LocalProgress p = new LocalProgress(System.err, size);
    p.records(() -> 42);
    p.connections(() -> 7);
    assertTrue(p.line().startsWith(String.format(java.util.Locale.ROOT,
        "ingest (local): captures 0.0 MB read of %.1f MB (0%%), 42 packets, 7 connections, ", size / 1e6)), p.line());
    ByteSource counted = p.counting(new FileByteSource(sample));
    try (InputStream in = counted.openAt(0)) {
      assertEquals(1, in.skip(1));
      in.read();
      in.readAllBytes();
    }
    String line = p.line();
    assertTrue(line.startsWith(String.format(java.util.Locale.ROOT,
        "ingest (local): captures %.1f MB read of %.1f MB (100%%), 42 packets, 7 connections, ", size / 1e6,
        size / 1e6)), line);
    assertTrue(line.matches(".*, [0-9.]+ MB/s, [0-9]+ s"), line);
    p.phase("packets pass");   // the --packets pass reads the files again; the line says so
    assertTrue(p.line().startsWith("ingest (local, packets pass): captures "), p.line());
  }
}
