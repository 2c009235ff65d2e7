package io.pcaplake.spark.ingest;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestSpark;
import io.pcaplake.spark.flows.TableSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest --packets --filter}: the packets table holds the records of the connections the filter keeps (connection
 * semantics, the flows table's verdict), the records of no connection by the filter's answer on what was decoded of
 * them (tcpdump's: a record without IP matches no {@code port}); filtered-out records are still counted in
 * {@code captures} and their problems are still in {@code anomalies} ({@code docs/filter.md}, {@code
 * docs/accounting.md}).
 */
class PacketsFilterTest {
  static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void session() {
    spark = TestSpark.get();
  }

  @Test
  void packetsTableKeepsTheRecordsOfTheConnectionsTheFilterKeeps() throws IOException {
    Path in = Files.createDirectories(dir.resolve("in"));
    MixedPorts m = MixedPorts.write(in);
    int records = m.packets.size();
    // Both directions of the port-8000 TCP and UDP connections; a record cut after the ports is a packet of its
    // connection; ARP and a record cut inside the IP header have no port.
    check(m, "port 8000", m.indexes("tcp8000", "udp8000", "cut8000"), records);
    check(m, "dst port 8000", m.indexes("tcp8000", "udp8000", "cut8000"), records);
    // Negation: records without ports do not match 'port 9000', so they are kept, as tcpdump keeps them.
    check(m, "not port 9000", m.indexesExcept("tcp9000"), records);
    check(m, "udp", m.indexes("udp8000", "udp53"), records);
    check(m, "", m.indexesExcept(), records);
  }

  private void check(MixedPorts m, String filter, Set<Long> expected, int records) throws IOException {
    Path lake = dir.resolve("lake" + Math.abs(filter.hashCode()));
    IngestOptions o = IngestOptions.of(List.of(dir.resolve("in").toString()), lake.toString()).withRunId("r1")
        .withPackets(true).withFilter(filter);
    IngestSummary s = IngestJob.run(spark.sparkContext().hadoopConfiguration(), o, () -> spark, IngestEngine.SPARK,
        IngestEngine.DEFAULT_LOCAL_MAX_BYTES);
    String what = "--filter '" + filter + "'";

    Dataset<Row> packets = table(lake, "packets");
    Set<Long> got = new TreeSet<>();
    for (Row r : packets.select("record_index").collectAsList()) {
      got.add(r.getLong(0));
    }
    assertEquals(expected, got, what + ": the packets rows kept (by record_index)");
    assertEquals(expected.size(), packets.count(), what + ": one row per record");

    // Accounting: every record of the file is counted, kept or not; two of them are bad (the cut ones).
    Row c = table(lake, "captures").collectAsList().get(0);
    assertEquals(records, s.packets(), what);
    assertEquals(records, c.getLong(c.fieldIndex("packets")), what + ": captures.packets");
    assertEquals(records - 2, c.getLong(c.fieldIndex("records_ok")), what + ": captures.records_ok");
    assertEquals(2, c.getLong(c.fieldIndex("records_bad")), what + ": captures.records_bad");
    // The cut records' problems are in anomalies whatever the filter.
    assertEquals(2, table(lake, "anomalies").filter(col("layer").equalTo("packet").and(col("flow_id").isNull()))
        .count(), what + ": packet-level anomalies");

    // The TCP rows kept that reassembly took (decode status ok) are exactly the packets of the flows rows.
    long tcpOk = packets.filter(col("protocol").equalTo(6).and(col("decode_status").equalTo("ok"))).count();
    Row sums = table(lake, "flows").selectExpr("coalesce(sum(client_packets + server_packets), 0)").first();
    assertEquals(tcpOk, sums.getLong(0), what + ": TCP packets rows vs flows packets");
    assertTrue(packets.filter(col("dt").notEqual("2026-01-01")).isEmpty(), what + ": dt of the records");
  }

  static Dataset<Row> table(Path lake, String table) {
    return table.equals("packets") ? spark.read().parquet(lake.resolve(table).toString())
        : spark.read().schema(TableSchemas.of(table)).parquet(lake.resolve(table).toString());
  }
}
