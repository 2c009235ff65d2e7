package io.pcaplake.spark;

import static io.pcaplake.TestCaptures.arp;
import static io.pcaplake.TestCaptures.tcp4;
import static io.pcaplake.TestCaptures.udp4;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestCaptures;
import io.pcaplake.TestCaptures.Frame;
import io.pcaplake.TestSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapDataSourceTest {
  static final byte[] HELLO = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  static final long T0 = 1_700_000_000_123_456L;

  @TempDir static Path dir;
  static Path good;
  static SparkSession spark;

  @BeforeAll
  static void setUp() throws Exception {
    spark = TestSpark.get();
    good = dir.resolve("good.pcap");
    TestCaptures.writePcap(good, List.of(
        new Frame(T0, tcp4("10.0.0.1", 40000, "10.0.0.2", 80, 3_000_000_000L, 7, 0x18, 512, HELLO)),
        new Frame(T0 + 1, udp4("10.0.0.1", 5353, "224.0.0.251", 5353, new byte[] {1, 2, 3})),
        new Frame(T0 + 2, arp())));
  }

  private static DataFrameReader read(Object... options) {
    var reader = spark.read().format("pcap");
    for (int i = 0; i < options.length; i += 2) {
      reader = reader.option((String) options[i], String.valueOf(options[i + 1]));
    }
    return reader;
  }

  @Test
  void columnValues() {
    List<Row> rows = read().load(good.toString()).orderBy("record_index").collectAsList();
    assertEquals(3, rows.size());
    Row tcp = rows.get(0);
    assertTrue(tcp.<String>getAs("capture_file").endsWith("/good.pcap"), tcp.<String>getAs("capture_file"));
    assertEquals(24L, tcp.<Long>getAs("record_index"), "first record starts after the 24-byte file header");
    assertEquals(T0 * 1000, tcp.<Long>getAs("ts_ns"));
    assertEquals(Timestamp.from(java.time.Instant.ofEpochSecond(0, T0 * 1000)), tcp.<Timestamp>getAs("ts"));
    assertEquals(T0 * 1000, tcp.<Timestamp>getAs("ts").toInstant().getEpochSecond() * 1_000_000_000L
        + tcp.<Timestamp>getAs("ts").getNanos());
    assertEquals(1, tcp.<Integer>getAs("link_type"));
    assertEquals(14 + 20 + 20 + HELLO.length, tcp.<Integer>getAs("caplen"));
    assertEquals(tcp.<Integer>getAs("caplen"), tcp.<Integer>getAs("len"));
    assertEquals(4, tcp.<Integer>getAs("ip_version"));
    assertEquals("10.0.0.1", tcp.getAs("src_ip"));
    assertEquals("10.0.0.2", tcp.getAs("dst_ip"));
    assertEquals(6, tcp.<Integer>getAs("protocol"));
    assertEquals(40000, tcp.<Integer>getAs("src_port"));
    assertEquals(80, tcp.<Integer>getAs("dst_port"));
    assertEquals(3_000_000_000L, tcp.<Long>getAs("tcp_seq"), "unsigned 32-bit");
    assertEquals(7L, tcp.<Long>getAs("tcp_ack"));
    assertEquals(0x18, tcp.<Integer>getAs("tcp_flags"));
    assertEquals(512, tcp.<Integer>getAs("tcp_window"));
    assertEquals(HELLO.length, tcp.<Integer>getAs("payload_len"));
    assertNull(tcp.getAs("vlan"));
    assertEquals(64, tcp.<Integer>getAs("ttl"));
    assertFalse(tcp.<Boolean>getAs("fragment"));
    assertEquals("ok", tcp.getAs("decode_status"));
    assertEquals(24L + 16 + tcp.<Integer>getAs("caplen"), rows.get(1).<Long>getAs("record_index"));

    Row udp = rows.get(1);
    assertEquals(17, udp.<Integer>getAs("protocol"));
    assertEquals(5353, udp.<Integer>getAs("dst_port"));
    assertEquals(3, udp.<Integer>getAs("payload_len"));
    assertNull(udp.getAs("tcp_seq"), "absent fields are null, not -1");
    assertNull(udp.getAs("tcp_flags"));

    Row arp = rows.get(2);
    assertEquals("not_ip", arp.getAs("decode_status"));
    for (String c : List.of("ip_version", "src_ip", "dst_ip", "protocol", "src_port", "ttl", "fragment",
        "payload_len")) {
      assertNull(arp.getAs(c), c);
    }
    assertFalse(Arrays.asList(read().load(good.toString()).columns()).contains("payload"));
  }

  @Test
  void payloadOption() {
    Dataset<Row> df = read("payload", true).load(good.toString());
    assertEquals("binary", df.schema().apply("payload").dataType().typeName());
    List<Row> rows = df.orderBy("record_index").select("payload").collectAsList();
    assertArrayEquals(HELLO, (byte[]) rows.get(0).get(0));
    assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) rows.get(1).get(0));
    assertNull(rows.get(2).get(0));
  }

  @Test
  void pruningReadsOnlySelectedColumns() {
    Dataset<Row> df = read().load(good.toString()).select("caplen");
    var leaf = df.queryExecution().executedPlan().collectLeaves().head();
    assertEquals(1, leaf.output().size(), leaf.toString());
    assertEquals(List.of(72, 45, 42), df.collectAsList().stream().map(r -> r.getInt(0)).toList());
    assertEquals(List.of("10.0.0.1", "10.0.0.1"), read().load(good.toString()).where("src_ip is not null")
        .orderBy("record_index").select("src_ip").collectAsList().stream().map(r -> r.getString(0)).toList());
  }

  @Test
  void rowWriterSkipsDecoderWhenNotNeeded() {
    assertFalse(new PacketRowWriter(new org.apache.spark.sql.types.StructType()).needsDecode());
    var noDecode = new org.apache.spark.sql.types.StructType()
        .add("record_index", "long").add("ts", "timestamp").add("caplen", "int");
    assertFalse(new PacketRowWriter(noDecode).needsDecode());
    assertTrue(new PacketRowWriter(noDecode.add("src_ip", "string")).needsDecode());
  }

  @Test
  void corruptFileGivesProblemRowsAndOthersAllRows() throws Exception {
    Path mixed = Files.createDirectories(dir.resolve("mixed"));
    Files.copy(good, mixed.resolve("a.pcap"));
    Files.write(mixed.resolve("b-garbage.pcap"), "this is not a capture file at all, sorry".getBytes());
    byte[] whole = Files.readAllBytes(good);
    Files.write(mixed.resolve("c-truncated.pcap"), Arrays.copyOf(whole, whole.length - 10));
    Files.write(mixed.resolve("_SUCCESS"), new byte[0]);

    Map<String, Long> perFile = read().load(mixed.toString()).groupBy("capture_file").count().collectAsList()
        .stream().collect(Collectors.toMap(r -> Path.of(r.getString(0)).getFileName().toString(), r -> r.getLong(1)));
    assertEquals(3L, perFile.get("a.pcap"), perFile.toString());
    assertEquals(2L, perFile.get("c-truncated.pcap"), "records before the cut survive: " + perFile);
    assertNull(perFile.get("_SUCCESS"));

    List<Row> problems = read("rows", "problems").load(mixed.toString()).collectAsList();
    assertEquals(List.of("capture_file", "record_index", "layer", "reason", "detail"),
        List.of(read("rows", "problems").load(mixed.toString()).columns()));
    Map<String, List<String>> reasons = problems.stream().collect(Collectors.groupingBy(
        r -> Path.of(r.getString(0)).getFileName().toString(),
        Collectors.mapping(r -> r.getString(3), Collectors.toList())));
    assertTrue(reasons.containsKey("b-garbage.pcap"), reasons.toString());
    assertTrue(reasons.containsKey("c-truncated.pcap"), reasons.toString());
    assertFalse(reasons.containsKey("a.pcap"), reasons.toString());
    problems.forEach(r -> assertEquals("capture", r.getString(2), r.toString()));
  }

  @Test
  void unopenableFileIsAProblemRowNotAFailedJob() {
    String path = "failfs://" + good.toAbsolutePath();
    Object[] fs = {"fs.failfs.impl", FailingFileSystem.class.getName(), "fs.failfs.impl.disable.cache", "true"};
    assertEquals(0, read(fs).load(path).count());
    Object[] problemsOpts = Arrays.copyOf(fs, 6);
    problemsOpts[4] = "rows";
    problemsOpts[5] = "problems";
    List<Row> problems = read(problemsOpts).load(path).collectAsList();
    assertEquals(1, problems.size(), problems.toString());
    assertEquals(CaptureCursor.IO_ERROR, problems.get(0).getString(3));
    assertTrue(problems.get(0).getString(4).contains("injected"), problems.get(0).getString(4));
  }

  @Test
  void missingPathAndBadOptionsAreUsageErrors() {
    Exception e = assertThrows(Exception.class, () -> read().load(dir.resolve("nope").toString()).count());
    assertTrue(String.valueOf(e.getMessage()).contains("does not exist"), e.toString());
    assertThrows(IllegalArgumentException.class, () -> read("rows", "flows").load(good.toString()));
    Exception f = assertThrows(IllegalArgumentException.class,
        () -> read("rows", "problems", "filter", "port 80").load(good.toString()));
    assertTrue(f.getMessage().contains("rows=packets and rows=segments"), f.getMessage());
    assertThrows(IllegalArgumentException.class, () -> read("filter", "port x").load(good.toString()));
  }

  @Test
  void filterOptionKeepsThePacketsOfMatchingConnectionsInBothDirections() throws Exception {
    Path two = dir.resolve("two-ways.pcap");
    TestCaptures.writePcap(two, List.of(
        new Frame(T0, tcp4("10.0.0.1", 40000, "10.0.0.2", 80, 1, 0, 0x02, 512, new byte[0])),
        new Frame(T0 + 1, tcp4("10.0.0.2", 80, "10.0.0.1", 40000, 9, 2, 0x12, 512, new byte[0])),
        new Frame(T0 + 2, tcp4("10.0.0.1", 40001, "10.0.0.2", 81, 1, 0, 0x02, 512, new byte[0])),
        new Frame(T0 + 3, udp4("10.0.0.1", 5353, "224.0.0.251", 5353, new byte[] {1})),
        new Frame(T0 + 4, arp())));
    // tcpdump's 'dst port 80' drops the SYN-ACK; connection semantics keep it (docs/filter.md).
    assertEquals(List.of(T0, T0 + 1), tsMicros(read("filter", "dst port 80").load(two.toString())));
    assertEquals(List.of(T0 + 2, T0 + 3, T0 + 4), tsMicros(read("filter", "not port 80").load(two.toString())));
    // Only columns the decoder does not fill are selected: the filter still decodes each record.
    assertEquals(2, read("filter", "dst port 80").load(two.toString()).select("record_index").count());
  }

  private static List<Long> tsMicros(Dataset<Row> rows) {
    return rows.orderBy("record_index").select("ts_ns").collectAsList().stream()
        .map(r -> r.getLong(0) / 1000).toList();
  }

  /** The pcap source's packets schema is the packets table contract's (packets.avsc), dt aside. */
  @Test
  void packetsSchemaIsTheTableContractWithoutDt() {
    org.apache.spark.sql.types.StructType contract = io.pcaplake.spark.flows.TableSchemas.of("packets");
    List<String> expected = Arrays.stream(contract.fields()).filter(f -> !f.name().equals("dt"))
        .map(f -> f.name() + " " + f.dataType().simpleString() + " " + f.nullable()).toList();
    List<String> source = Arrays.stream(read().load(good.toString()).schema().fields())
        .map(f -> f.name() + " " + f.dataType().simpleString() + " " + f.nullable()).toList();
    assertEquals(expected, source);
  }
}
