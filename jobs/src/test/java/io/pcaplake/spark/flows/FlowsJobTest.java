package io.pcaplake.spark.flows;

import java.net.URI;
import io.pcaplake.capture.ByteSource;
import io.pcaplake.flow.LocalFlows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pcaplake.TestCaptures;
import io.pcaplake.TestCaptures.Frame;
import io.pcaplake.TestSpark;
import io.pcaplake.capture.CaptureReader;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.FileByteSource;
import io.pcaplake.capture.PcapWriter;
import io.pcaplake.capture.ProblemSink;
import io.pcaplake.filter.CaptureFilter;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.report.ReportXmlWriter;
import io.pcaplake.spark.PcapDataSource;
import io.pcaplake.synth.BulkCapture;
import io.pcaplake.synth.CaptureFiles;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.HttpTraffic;
import io.pcaplake.synth.Impairment;
import io.pcaplake.synth.SampleCapture;
import io.pcaplake.synth.Side;
import io.pcaplake.synth.SynthPacket;
import io.pcaplake.synth.TcpConversation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The flows job against the local reference ({@link LocalFlows}): shared captures, one archive read as one file,
 * as rotated files and with tiny splits, the filter's connection semantics, anomalies from bad files and a
 * conflicting overlap, report.xml, and the Parquet schema contract. Each case runs one job; they share a session.
 */
class FlowsJobTest {
  static final Instant START = Instant.parse("2026-01-02T03:04:05Z");
  static final long T0 = 1_700_000_000_000_000L;

  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = TestSpark.get();
  }

  static FlowsOptions options(String input, String out) {
    return new FlowsOptions(List.of(input), dir.resolve(out).toString(), "", null, "test-run",
        "pcaplake flows " + input + " --out " + out, START);
  }

  // ---- helpers ----

  /** The flows table as written, one list of column values per flow_id (timestamps as micros). */
  static Map<String, List<Object>> flowRows(FlowsOptions o, boolean withFiles) {
    StructType schema = TableSchemas.of("flows");
    Dataset<Row> df = spark.read().schema(schema).parquet(o.flowsPath());
    List<org.apache.spark.sql.Column> cols = new ArrayList<>();
    for (StructField f : schema.fields()) {
      cols.add(f.dataType().equals(DataTypes.TimestampType)
          ? functions.unix_micros(functions.col(f.name())) : functions.col(f.name()));
    }
    Map<String, List<Object>> m = new TreeMap<>();
    for (Row r : df.select(cols.toArray(org.apache.spark.sql.Column[]::new)).collectAsList()) {
      List<Object> v = new ArrayList<>();
      for (int i = 0; i < r.length(); i++) {
        String name = schema.fields()[i].name();
        if (name.equals("capture_files")) {
          v.add(withFiles ? List.copyOf(r.getList(i)) : null);
        } else {
          v.add(r.get(i));
        }
      }
      assertEquals(null, m.put(r.getString(0), v), "duplicate flow_id " + r.getString(0));
    }
    return m;
  }

  /** The http table's rows per flow_id: what flows.http_exchanges must say. */
  static Map<String, Integer> httpCounts(FlowsOptions o) {
    Map<String, Integer> m = new TreeMap<>();
    for (Row r : spark.read().schema(TableSchemas.of("http")).parquet(o.httpPath()).groupBy("flow_id").count()
        .collectAsList()) {
      m.put(r.getString(0), (int) r.getLong(1));
    }
    return m;
  }

  /** The same columns from the reference's connection records; http_exchanges from {@code exchanges}. */
  static Map<String, List<Object>> expectedRows(List<ConnectionRecord> conns, boolean withFiles,
                                                Map<String, Integer> exchanges) {
    Map<String, List<Object>> m = new TreeMap<>();
    for (ConnectionRecord c : conns) {
      List<Object> v = new ArrayList<>(List.of(c.flowId(), c.communityId(), c.connectionIndex(), c.startTsMicros(),
          c.endTsMicros(), c.durationMs(), c.family(), c.clientIp(), c.clientPort(), c.serverIp(), c.serverPort()));
      v.add(c.vlan());
      v.addAll(List.of(c.clientPackets(), c.serverPackets(), c.clientBytes(), c.serverBytes(), c.missingBytes(),
          c.retransmittedBytes(), c.outOfOrderCount(), c.overlapConflicts(), c.synSeen(), c.finSeen(), c.rstSeen(),
          c.connState(), c.history(), exchanges.getOrDefault(c.flowId(), 0)));
      v.add(withFiles ? c.captureFiles() : null);
      v.add(c.dt());
      assertEquals(null, m.put(c.flowId(), v), "duplicate flow_id " + c.flowId());
    }
    return m;
  }

  static List<String> listed(String input) {
    return new ArrayList<>(PcapDataSource.listFiles(spark, List.of(input)).keySet());
  }

  static List<Row> anomalies(FlowsOptions o) {
    return spark.read().schema(TableSchemas.of("anomalies")).parquet(o.anomaliesPath()).collectAsList();
  }

  // ---- the archive: one file, rotated files, tiny splits ----

  static Path bulkDir;
  static Path rotatedDir;

  static void bulk() throws IOException {
    if (bulkDir != null) {
      return;
    }
    bulkDir = Files.createDirectories(dir.resolve("bulk"));
    rotatedDir = Files.createDirectories(dir.resolve("rotated"));
    Path one = bulkDir.resolve("archive.pcap");
    BulkCapture.write(one, new BulkCapture.Options(600_000, 40, true, 7, T0 * 1000));
    // Rotate by packet count (editcap -c): 5 files, the connections spanning them.
    List<Object[]> records = new ArrayList<>();
    try (CaptureReader r = Captures.open(new FileByteSource(one), ProblemSink.IGNORE)) {
      while (r.next()) {
        records.add(new Object[] {r.timestampNanos(),
            java.util.Arrays.copyOfRange(r.data(), r.dataOffset(), r.dataOffset() + r.caplen()), r.origlen()});
      }
    }
    int per = records.size() / 5 + 1;
    for (int f = 0; f * per < records.size(); f++) {
      try (OutputStream os = Files.newOutputStream(rotatedDir.resolve("archive-" + f + ".pcap"));
           PcapWriter w = new PcapWriter(os, ByteOrder.LITTLE_ENDIAN, false, 65535, 1)) {
        for (Object[] rec : records.subList(f * per, Math.min(records.size(), (f + 1) * per))) {
          byte[] frame = (byte[]) rec[1];
          w.write((long) rec[0], frame, 0, frame.length, (int) rec[2]);
        }
      }
    }
  }

  @Test
  void oneFileRotatedFilesAndTinySplitsGiveTheSameFlows() throws Exception {
    bulk();
    FlowsOptions one = options(bulkDir.toString(), "out-one");
    FlowsSummary s1 = FlowsJob.run(spark, one);
    FlowsSummary s2 = FlowsJob.run(spark, options(rotatedDir.toString(), "out-rotated"));
    FlowsSummary s3 = FlowsJob.run(spark, options(bulkDir.toString(), "out-split").withSplitSize(4096L));

    LocalFlows.Result ref = localFlows(listed(bulkDir.toString()), null);
    Map<String, List<Object>> expected = expectedRows(ref.connections(), true, httpCounts(one));
    assertTrue(expected.size() > 40, "connections: " + expected.size());
    assertTrue(ref.connections().stream().anyMatch(c -> c.vlan() != null), "mixed: some VLAN-tagged");
    assertTrue(ref.connections().stream().anyMatch(c -> c.family().equals("ipv6")), "mixed: some IPv6");
    assertEquals(expected, flowRows(one, true), "one file vs local reference");

    Map<String, List<Object>> base = flowRows(one, false);
    assertEquals(base, flowRows(options(rotatedDir.toString(), "out-rotated"), false), "rotated files");
    assertEquals(base, flowRows(options(bulkDir.toString(), "out-split"), false), "4 KiB splits");
    // Connections spanning rotated files list them in first-seen order.
    assertTrue(flowRows(options(rotatedDir.toString(), "out-rotated"), true).values().stream()
        .anyMatch(v -> ((List<?>) v.get(26)).size() > 1), "some connection spans files");

    assertEquals(s1.records(), s2.records());
    assertEquals(s1.records(), s3.records());
    assertEquals(s1.connStates(), s3.connStates());
    assertEquals(1, s1.files());
    assertEquals(5, s2.files());
    assertTrue(s3.anomalies().isEmpty(), s3.anomalies().toString());
  }

  @Test
  void reportXmlIsWellFormedAndEqualsTheLocalWriters() throws Exception {
    bulk();
    FlowsOptions o = options(bulkDir.toString(), "out-report");
    FlowsJob.run(spark, o);
    byte[] xml = Files.readAllBytes(Path.of(o.reportPath()));
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));

    LocalFlows.Result ref = localFlows(listed(bulkDir.toString()), null);
    long directions = ref.connections().stream()
        .mapToLong(c -> (c.clientReport() != null ? 1 : 0) + (c.serverReport() != null ? 1 : 0)).sum();
    assertEquals(directions, doc.getElementsByTagName("fileobject").getLength());
    assertEquals(o.commandLine(), doc.getElementsByTagName("command_line").item(0).getTextContent());

    ByteArrayOutputStream local = new ByteArrayOutputStream();
    try (ReportXmlWriter w = new ReportXmlWriter(local,
        new ReportXmlWriter.Options("pcaplake", "0.1.0", o.commandLine(), "", START, null))) {
      for (ConnectionRecord c : ref.connections()) {
        w.connection(c);
      }
    }
    assertEquals(flowSection(local.toString(StandardCharsets.UTF_8)),
        flowSection(new String(xml, StandardCharsets.UTF_8)));
  }

  /** From the first fileobject to the totals (run metadata such as clocktime and rusage excluded). */
  static String flowSection(String xml) {
    int from = xml.indexOf("<fileobject");
    int to = xml.indexOf("<pl:total_connections>");
    assertTrue(from > 0 && to > from, xml.substring(0, Math.min(2000, xml.length())));
    return xml.substring(from, xml.indexOf('\n', to));
  }

  // ---- filter ----

  @Test
  void filterKeepsWholeConnectionsInEitherDirection() throws Exception {
    Path in = Files.createDirectories(dir.resolve("sample"));
    SampleCapture.write(in.resolve("sample.pcap"), Format.PCAP);
    CaptureFiles.write(in.resolve("other.pcap"), Format.PCAP,
        TcpConversation.between(InetAddress.getByName("10.9.9.9"), 40000, InetAddress.getByName("10.0.0.10"), 443)
            .start(1_710_230_500_000_000_000L).open().handshake()
            .clientSends(HttpTraffic.utf8("hello")).serverSends(HttpTraffic.utf8("world")).fin().packets());

    FlowsOptions port = options(in.toString(), "out-port").withFilter("port 8000");
    FlowsOptions dst = options(in.toString(), "out-dst").withFilter("dst port 8000");
    FlowsJob.run(spark, port);
    FlowsJob.run(spark, dst);
    Map<String, List<Object>> byPort = flowRows(port, true);
    Map<String, List<Object>> byDst = flowRows(dst, true);

    LocalFlows.Result all = localFlows(listed(in.toString()), null);
    LocalFlows.Result ref = localFlows(listed(in.toString()),
        CaptureFilter.parse("port 8000"));
    Map<String, Integer> exchanges = httpCounts(port);
    assertEquals(SampleCapture.generate(SampleCapture.Options.defaults()).truth().requests(),
        exchanges.values().stream().mapToInt(Integer::intValue).sum(), "every request of the sample is an exchange");
    assertEquals(expectedRows(ref.connections(), true, exchanges), byPort, "port 8000 vs reference");
    assertEquals(byPort, byDst, "dst port 8000 keeps the same connections (connection semantics)");

    List<ConnectionRecord> kept = all.connections().stream()
        .filter(c -> c.serverPort() == 8000 || c.clientPort() == 8000).toList();
    assertTrue(kept.size() < all.connections().size(), "the port-443 connection exists unfiltered");
    assertEquals(expectedRows(kept, true, exchanges), byPort, "whole connections, the same counters as unfiltered");
    assertTrue(byDst.values().stream().allMatch(v -> (long) v.get(13) > 0), "server->client packets kept");
  }

  // ---- anomalies ----

  @Test
  void badFilesBecomeAnomaliesAndTheGoodFileIsWhole() throws Exception {
    Path in = Files.createDirectories(dir.resolve("mixed"));
    byte[] body = new byte[3000];
    java.util.Arrays.fill(body, (byte) 'a');
    List<SynthPacket> good = TcpConversation.between(InetAddress.getByName("10.1.1.1"), 41000,
            InetAddress.getByName("10.2.2.2"), 80).start(T0 * 1000).open().handshake()
        .sends(Side.CLIENT, body, Impairment.conflict(1)).serverSends(HttpTraffic.utf8("ok")).fin().packets();
    CaptureFiles.write(in.resolve("good.pcap"), Format.PCAP, good);
    ByteArrayOutputStream bad = new ByteArrayOutputStream();
    TestCaptures.writePcap(bad, List.of(new Frame(T0, TestCaptures.udp4("10.1.1.1", 5000, "10.0.0.53", 53,
        new byte[20]))));
    bad.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0, 0, 0, 0, 9, 9});
    Files.write(in.resolve("bad.pcap"), bad.toByteArray());
    Files.write(in.resolve("junk.pcap"), "no capture here".getBytes(StandardCharsets.US_ASCII));

    FlowsOptions o = options(in.toString(), "out-anomalies");
    FlowsSummary s = FlowsJob.run(spark, o);
    LocalFlows.Result ref = localFlows(listed(in.toString()), null);
    assertEquals(1, ref.connections().size());
    assertEquals(expectedRows(ref.connections(), true, httpCounts(o)), flowRows(o, true));
    String flowId = ref.connections().get(0).flowId();

    List<Row> rows = anomalies(o);
    Map<String, List<Row>> byFile = rows.stream().filter(r -> !r.isNullAt(0))
        .collect(Collectors.groupingBy(r -> Path.of(java.net.URI.create(r.getString(0))).getFileName().toString()));
    assertTrue(byFile.getOrDefault("bad.pcap", List.of()).stream().anyMatch(r -> r.getString(4).equals("capture")),
        rows.toString());
    assertTrue(byFile.getOrDefault("junk.pcap", List.of()).stream().anyMatch(r -> r.getString(4).equals("capture")),
        rows.toString());
    List<Row> conflicts = rows.stream().filter(r -> r.getString(5).equals("tcp.overlap_conflict")).toList();
    assertFalse(conflicts.isEmpty(), rows.toString());
    for (Row r : conflicts) {
      assertEquals("tcp", r.getString(4));
      assertEquals(flowId, r.getString(2));
    }
    // Anomalies without a time are dated by the run.
    assertTrue(rows.stream().filter(r -> r.isNullAt(3)).allMatch(r -> r.getString(7).equals("2026-01-02")));
    assertEquals((long) rows.size(), s.anomalyCount());
    assertEquals(3, s.files());
  }

  // ---- shared captures ----

  @Test
  void sharedCapturesEqualTheLocalReference() throws Exception {
    String shared = System.getProperty("pcaplake.shared");
    assumeTrue(shared != null && Files.isDirectory(Path.of(shared, "pcaps")),
        "system property pcaplake.shared not set or no pcaps/: shared captures skipped");
    String glob = Path.of(shared, "pcaps").toRealPath() + "/*.pcap*";
    FlowsOptions o = options(glob, "out-shared");
    FlowsSummary s = FlowsJob.run(spark, o);
    List<String> names = listed(glob);
    assertTrue(names.size() >= 40, "shared captures: " + names.size());
    LocalFlows.Result ref = localFlows(names, null);
    Map<String, List<Object>> expected = expectedRows(ref.connections(), true, httpCounts(o));
    Map<String, List<Object>> actual = flowRows(o, true);
    // Per capture file, so a failure names the capture.
    Map<Object, Map<String, List<Object>>> e = perFile(expected);
    Map<Object, Map<String, List<Object>>> a = perFile(actual);
    assertEquals(e.keySet(), a.keySet());
    for (Object file : e.keySet()) {
      assertEquals(e.get(file), a.get(file), "capture " + file);
    }
    assertEquals(expected.size(), s.connections());
  }

  static Map<Object, Map<String, List<Object>>> perFile(Map<String, List<Object>> rows) {
    Map<Object, Map<String, List<Object>>> m = new TreeMap<>();
    rows.forEach((id, v) -> m.computeIfAbsent(((List<?>) v.get(26)).get(0), k -> new TreeMap<>()).put(id, v));
    return m;
  }

  // ---- schema contract ----

  @Test
  void parquetSchemasAreTheAvroContracts() throws Exception {
    Path in = Files.createDirectories(dir.resolve("contract"));
    TestCaptures.writePcap(in.resolve("c.pcap"), List.of(
        new Frame(T0, TestCaptures.tcp4("10.1.1.1", 1025, "10.2.2.2", 80, 100, 0, 0x02, 1000, new byte[0])),
        new Frame(T0 + 10, TestCaptures.tcp4("10.2.2.2", 80, "10.1.1.1", 1025, 7, 0, 0x14, 0, new byte[0]))));
    Files.write(in.resolve("junk.pcap"), "junk".getBytes(StandardCharsets.US_ASCII));
    CaptureFiles.write(in.resolve("h.pcap"), Format.PCAP,
        TcpConversation.between(InetAddress.getByName("10.1.1.3"), 40001, InetAddress.getByName("10.2.2.2"), 8080)
            .start(T0 * 1000).open().handshake()
            .clientSends(HttpTraffic.utf8("GET /a?b=1 HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer abcdef\r\n\r\n"))
            .serverSends(HttpTraffic.utf8("HTTP/1.1 200\r\nContent-Length: 2\r\nSet-Cookie: s=1\r\n\r\nok"))
            .fin().packets());
    FlowsOptions o = options(in.toString(), "out-contract");
    FlowsJob.run(spark, o);
    // The exchange, its flows row counting it, and its parser anomaly (no reason phrase) with the same flow_id.
    List<Row> http = spark.read().schema(TableSchemas.of("http")).parquet(o.httpPath()).collectAsList();
    assertEquals(1, http.size(), http.toString());
    String httpFlow = http.get(0).getString(0);
    assertEquals(1, flowRows(o, false).get(httpFlow).get(25), "flows.http_exchanges");
    assertTrue(anomalies(o).stream().anyMatch(r -> r.getString(5).equals("http.missing_reason")
        && r.getString(4).equals("http") && httpFlow.equals(r.getString(2))), anomalies(o).toString());
    for (String table : List.of("flows", "http", "anomalies")) {
      Schema avro = TableSchemas.avro(table);
      Path tableDir = Path.of(switch (table) {
        case "flows" -> o.flowsPath();
        case "http" -> o.httpPath();
        default -> o.anomaliesPath();
      });
      Path part;
      try (Stream<Path> files = Files.walk(tableDir)) {
        part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      }
      assertTrue(part.getParent().getFileName().toString().matches("dt=\\d{4}-\\d{2}-\\d{2}"), part.toString());
      MessageType parquet;
      try (ParquetFileReader r = ParquetFileReader.open(
          HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(part.toUri()), new Configuration()))) {
        parquet = r.getFooter().getFileMetaData().getSchema();
      }
      List<Schema.Field> fields = avro.getFields();
      // dt is the partition directory, not a column of the files.
      assertEquals("dt", fields.get(fields.size() - 1).name());
      assertEquals(fields.size() - 1, parquet.getFieldCount(), parquet.toString());
      for (int i = 0; i < parquet.getFieldCount(); i++) {
        assertField(table, fields.get(i), parquet.getType(i));
      }
      // Read back by Spark: the same names in the same order, dt last (Spark reads every column as nullable).
      StructType read = spark.read().parquet(tableDir.toString()).schema();
      assertEquals(fields.stream().map(Schema.Field::name).toList(), List.of(read.fieldNames()), table);
      StructType contract = TableSchemas.of(table);
      for (int i = 0; i < fields.size() - 1; i++) {
        assertEquals(nullableElements(contract.fields()[i].dataType()), nullableElements(read.fields()[i].dataType()),
            table + "." + fields.get(i).name());
      }
    }
  }

  /** What Spark reads back from Parquet: every array element and struct field nullable, recursively (no comments). */
  static org.apache.spark.sql.types.DataType nullableElements(org.apache.spark.sql.types.DataType t) {
    if (t instanceof org.apache.spark.sql.types.ArrayType a) {
      return DataTypes.createArrayType(nullableElements(a.elementType()), true);
    }
    if (t instanceof StructType st) {
      StructField[] fs = st.fields().clone();
      for (int i = 0; i < fs.length; i++) {
        fs[i] = DataTypes.createStructField(fs[i].name(), nullableElements(fs[i].dataType()), true);
      }
      return new StructType(fs);
    }
    return t;
  }

  static void assertField(String table, Schema.Field f, Type p) {
    String where = table + "." + f.name();
    assertEquals(f.name(), p.getName(), where);
    Schema s = f.schema();
    boolean nullable = s.getType() == Schema.Type.UNION;
    if (nullable) {
      s = s.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElseThrow();
    }
    assertEquals(nullable ? Type.Repetition.OPTIONAL : Type.Repetition.REQUIRED, p.getRepetition(), where);
    if (s.getType() == Schema.Type.ARRAY) {
      assertFalse(p.isPrimitive(), where);
      assertEquals(LogicalTypeAnnotation.listType(), p.getLogicalTypeAnnotation(), where);
      Type element = p.asGroupType().getType(0).asGroupType().getType(0);
      assertEquals(Type.Repetition.REQUIRED, element.getRepetition(), where + " element");
      Schema items = s.getElementType();
      if (items.getType() == Schema.Type.RECORD) {
        // e.g. http.request_headers: array of {name, value}
        assertFalse(element.isPrimitive(), where + " element");
        List<Schema.Field> sub = items.getFields();
        assertEquals(sub.size(), element.asGroupType().getFieldCount(), where + " element");
        for (int j = 0; j < sub.size(); j++) {
          assertField(where, sub.get(j), element.asGroupType().getType(j));
        }
      } else {
        assertEquals(LogicalTypeAnnotation.stringType(), element.getLogicalTypeAnnotation(), where + " element");
      }
      return;
    }
    PrimitiveType prim = p.asPrimitiveType();
    PrimitiveType.PrimitiveTypeName expected = switch (s.getType()) {
      case STRING -> PrimitiveType.PrimitiveTypeName.BINARY;
      case INT -> PrimitiveType.PrimitiveTypeName.INT32;
      case LONG -> PrimitiveType.PrimitiveTypeName.INT64;
      case DOUBLE -> PrimitiveType.PrimitiveTypeName.DOUBLE;
      case BOOLEAN -> PrimitiveType.PrimitiveTypeName.BOOLEAN;
      default -> throw new AssertionError("unexpected contract type " + s + " at " + where);
    };
    assertEquals(expected, prim.getPrimitiveTypeName(), where);
    if (s.getType() == Schema.Type.STRING) {
      assertEquals(LogicalTypeAnnotation.stringType(), p.getLogicalTypeAnnotation(), where);
    } else if (s.getLogicalType() instanceof LogicalTypes.TimestampMicros) {
      assertEquals(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS),
          p.getLogicalTypeAnnotation(), where);
    } else {
      assertEquals(null, p.getLogicalTypeAnnotation(), where);
    }
  }



  /** The reference run over the listed files ({@code file:/...}), file ids in name order as the job sorts them. */
  private static LocalFlows.Result localFlows(List<String> names, CaptureFilter filter) throws IOException {
    List<String> sorted = names.stream().sorted().toList();
    List<ByteSource> sources = new ArrayList<>();
    for (String name : sorted) {
      sources.add(new FileByteSource(Path.of(URI.create(name))));
    }
    return LocalFlows.run(sorted, sources, filter);
  }
}
