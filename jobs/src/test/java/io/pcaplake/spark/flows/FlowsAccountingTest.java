package io.pcaplake.spark.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestSpark;
import io.pcaplake.capture.ByteSource;
import io.pcaplake.capture.FileByteSource;
import io.pcaplake.flow.Accounting;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.flow.LocalFlows;
import io.pcaplake.synth.BulkCapture;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.SampleCapture;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6 at the Spark level: the accounting identities of a {@code FlowsJob} run ({@code docs/accounting.md}) equal
 * the formats engine's; two runs with different split sizes and partition counts write identical tables and the
 * formats reference engine finds the same {@code flow_id}s; a capture that vanishes between listing and reading is
 * reported and skipped, as is one made unreadable after listing, while the rest is ingested.
 */
class FlowsAccountingTest {
  static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
  /** Shared captures with malformed records, snaplen cuts, gaps, port reuse, fragments, pcapng sections, gzip. */
  static final List<String> SHARED = List.of("malformed-pcap-bogus-caplen.pcap", "http-snaplen96-cut.pcap",
      "http10-tcp-reassembly-synthetic-retrans-ooo-gap-overlap.pcap", "http-port-reuse-evasion-linux.pcap",
      "pcapng-multi-section-mixed-endian.pcapng", "tcp-snaplen40-headers-only.pcap", "http-gzip-retrans.pcap",
      "http-head-301.pcapng.gz", "malformed-pcap-invalid-version.pcap", "http-keepalive-304-browse.pcap",
      "http-ipv4-fragmented-responses-jpegs.pcap");

  @TempDir static Path dir;
  static SparkSession spark;
  static List<String> inputs;

  @BeforeAll
  static void setUp() throws IOException {
    spark = TestSpark.get();
    inputs = new ArrayList<>();
    Path gen = Files.createDirectories(dir.resolve("gen"));
    // the demo sample, and a bulk archive (retransmissions, gaps, VLANs, IPv6) with 2 KB of garbage in the middle
    Path sample = gen.resolve("sample.pcap");
    SampleCapture.write(sample, Format.PCAP);
    inputs.add(sample.toString());
    Path bulk = gen.resolve("bulk.pcap");
    BulkCapture.write(bulk, new BulkCapture.Options(200_000, 12, true, 6, 1_700_000_000_000_000_000L, false));
    byte[] b = Files.readAllBytes(bulk);
    byte[] garbage = new byte[2048];
    new Random(6).nextBytes(garbage);
    int at = b.length / 2;
    Path broken = gen.resolve("bulk-garbage.pcap");
    try (var out = Files.newOutputStream(broken)) {
      out.write(b, 0, at);
      out.write(garbage);
      out.write(b, at, b.length - at);
    }
    Files.delete(bulk);
    inputs.add(broken.toString());
    String shared = System.getProperty("pcaplake.shared");
    if (shared != null) {
      for (String name : SHARED) {
        Path f = Path.of(shared, "pcaps", name);
        if (Files.isRegularFile(f)) {
          inputs.add(f.toString());
        }
      }
    }
  }

  static FlowsOptions options(List<String> in, String out) {
    return new FlowsOptions(in, dir.resolve(out).toString(), "", null, "test-run", "pcaplake flows --out " + out,
        START);
  }

  /** Every row of a table as text, all columns, sorted (row order aside). */
  static List<String> rows(String path) {
    List<String> out = new ArrayList<>();
    for (Row r : spark.read().parquet(path).collectAsList()) {
      out.add(r.toString());
    }
    out.sort(null);
    return out;
  }

  static FlowsSummary runWithPartitions(FlowsOptions o, int partitions) throws IOException {
    spark.conf().set(FlowsJob.PARTITIONS_CONF, String.valueOf(partitions));
    try {
      return FlowsJob.run(spark, o);
    } finally {
      spark.conf().unset(FlowsJob.PARTITIONS_CONF);
    }
  }

  @Test
  void identitiesHoldAndEqualTheFormatsEngine() throws IOException {
    FlowsSummary s = FlowsJob.run(spark, options(inputs, "acc"));
    FlowsSummary.Accounting a = s.accounting();
    assertEquals(0, a.unaccountedRecords(), a.toString());
    assertEquals(0, a.unaccountedPayloadBytes(), a.toString());
    assertEquals(a.payloadFed(), a.payloadSeen(), "the reassembler saw every payload byte the decoder produced");
    assertTrue(a.recordsBad() > 0 && a.payloadRetransmitted() > 0 && a.payloadUncaptured() > 0, a.toString());

    long read = 0;
    long ok = 0;
    long unsupported = 0;
    long bad = 0;
    long fed = 0;
    long packets = 0;
    for (String in : inputs) {
      Accounting.FileAccount f = Accounting.of(new FileByteSource(Path.of(in)));
      f.assertBalanced(in);
      read += f.records().read();
      ok += f.records().recordsOk();
      unsupported += f.records().unsupported();
      bad += f.records().recordsBad();
      packets += f.records().packets();
      fed += f.payloadFed();
    }
    assertEquals(List.of(read, ok, unsupported, bad, packets, fed),
        List.of(a.recordsRead(), a.recordsOk(), a.recordsUnsupported(), a.recordsBad(), s.records(), a.payloadFed()),
        "Spark run vs formats engine: read, ok, unsupported, bad, packets, payload");
  }

  @Test
  void sameTablesAcrossSplitSizesAndPartitionCountsAndTheSameFlowIdsAsTheFormatsEngine() throws IOException {
    FlowsOptions a = options(inputs, "det-a");
    FlowsOptions b = options(inputs, "det-b").withSplitSize(16L << 10);
    FlowsSummary sa = runWithPartitions(a, 1);
    FlowsSummary sb = runWithPartitions(b, 7);
    for (String table : List.of("flows", "http", "anomalies")) {
      String pa = table.equals("flows") ? a.flowsPath() : table.equals("http") ? a.httpPath() : a.anomaliesPath();
      String pb = table.equals("flows") ? b.flowsPath() : table.equals("http") ? b.httpPath() : b.anomaliesPath();
      List<String> ra = rows(pa);
      List<String> rb = rows(pb);
      assertFalse(ra.isEmpty(), table);
      assertEquals(ra, rb, table + ": 1 partition, whole files vs 7 partitions, 16 KiB splits");
    }
    assertEquals(sa.accounting(), sb.accounting());

    Set<String> sparkIds = spark.read().parquet(a.flowsPath()).select("flow_id").collectAsList().stream()
        .map(r -> r.getString(0)).collect(Collectors.toCollection(TreeSet::new));
    List<String> names = new ArrayList<>(inputs);
    names.sort(null);
    List<ByteSource> sources = new ArrayList<>();
    for (String n : names) {
      sources.add(new FileByteSource(Path.of(n)));
    }
    Set<String> localIds = LocalFlows.run(names, sources, null).connections().stream().map(ConnectionRecord::flowId)
        .collect(Collectors.toCollection(TreeSet::new));
    assertTrue(sparkIds.size() > 20, "connections: " + sparkIds.size());
    assertEquals(localIds, sparkIds, "flow_ids: formats reference engine vs Spark");
  }

  /**
   * The local file system under {@code vanishfs:}; a file whose name contains {@code vanishes} is deleted when a
   * task opens it (after the driver listed and planned it), so the open fails with the real FileNotFoundException.
   * A file without the owner's read permission (chmod 000 after listing) fails to open with AccessDeniedException
   * even when the tests run as root (who could read it anyway).
   */
  public static class VanishingFileSystem extends RawLocalFileSystem {
    @Override
    public URI getUri() {
      return URI.create("vanishfs:///");
    }

    @Override
    public String getScheme() {
      return "vanishfs";
    }

    @Override
    public FSDataInputStream open(org.apache.hadoop.fs.Path f, int bufferSize) throws IOException {
      Path p = Path.of(f.toUri().getPath());
      if (f.getName().contains("vanishes")) {
        Files.deleteIfExists(p);
      }
      if (f.getName().contains("noperm")) {
        Files.setPosixFilePermissions(p, Set.of());   // chmod 000 between listing and reading
      }
      if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OWNER_READ)) {
        throw new AccessDeniedException(p.toString());
      }
      return super.open(f, bufferSize);
    }
  }

  @Test
  void aCaptureThatVanishesAfterListingIsReportedAndTheRestIngested() throws IOException {
    Path in = Files.createDirectories(dir.resolve("vanish"));
    Path keep = in.resolve("a-keep.pcap");
    SampleCapture.write(keep, Format.PCAP);
    Path gone = in.resolve("b-vanishes.pcap");
    Files.copy(keep, gone);
    Path noperm = in.resolve("c-noperm.pcap");
    Files.copy(keep, noperm);
    var conf = spark.sparkContext().hadoopConfiguration();
    conf.set("fs.vanishfs.impl", VanishingFileSystem.class.getName());
    conf.set("fs.vanishfs.impl.disable.cache", "true");
    // files, not the folder: RawLocalFileSystem cannot walk a folder under another scheme
    FlowsOptions o = options(List.of("vanishfs://" + keep.toAbsolutePath(), "vanishfs://" + gone.toAbsolutePath(),
        "vanishfs://" + noperm.toAbsolutePath()), "vanish-out");
    FlowsSummary s = FlowsJob.run(spark, o);
    assertEquals(3, s.files(), "all files were listed");
    assertFalse(Files.exists(gone), "the file vanished when its task opened it");

    List<Row> anomalies = spark.read().parquet(o.anomaliesPath()).collectAsList();
    List<Row> ioErrors = anomalies.stream().filter(r -> "capture.io_error".equals(r.getAs("reason"))).toList();
    Map<String, String> details = new TreeMap<>();
    for (Row r : ioErrors) {
      String file = r.<String>getAs("capture_file");
      details.put(file.substring(file.lastIndexOf('/') + 1), r.<String>getAs("detail"));
    }
    assertEquals(Set.of("b-vanishes.pcap", "c-noperm.pcap"), details.keySet(), anomalies.toString());
    assertTrue(details.get("b-vanishes.pcap").contains(FileNotFoundException.class.getSimpleName()), details.toString());
    assertTrue(details.get("c-noperm.pcap").contains(AccessDeniedException.class.getSimpleName()), details.toString());
    // the other file is ingested whole: the same flows as a run over it alone
    FlowsOptions alone = options(List.of(keep.toString()), "vanish-alone");
    FlowsSummary sa = FlowsJob.run(spark, alone);
    Map<String, Long> expected = flowBytes(alone.flowsPath());
    assertEquals(expected, flowBytes(o.flowsPath()));
    assertEquals(sa.accounting(), s.accounting(), "the vanished file contributes no records");
    assertEquals(0, s.accounting().unaccountedRecords());
  }

  private static Map<String, Long> flowBytes(String path) {
    Map<String, Long> m = new TreeMap<>();
    for (Row r : spark.read().parquet(path).select("flow_id", "client_bytes", "server_bytes").collectAsList()) {
      m.put(r.getString(0), r.getLong(1) + r.getLong(2));
    }
    return m;
  }
}
