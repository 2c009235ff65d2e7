package io.pcaplake.cli;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import io.pcaplake.spark.PcapDataSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/** Computes a {@link PacketsSummary} through the {@code pcap} data source (so it scales like any Spark scan). */
final class PacketsReport {
  static final int TOP_CONVERSATIONS = 10;

  private PacketsReport() { }

  static PacketsSummary compute(SparkSession spark, List<String> inputs, Long splitSize) {
    Map<String, Long> files = PcapDataSource.listFiles(spark, inputs);
    Dataset<Row> packets = reader(spark, splitSize).load(inputs.toArray(String[]::new))
        .select("ts_ns", "caplen", "ip_version", "src_ip", "dst_ip", "protocol", "src_port", "dst_port",
            "tcp_flags", "payload_len", "decode_status")
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Row totals = packets.agg(count(lit(1)), coalesce(sum("caplen"), lit(0L)), min("ts_ns"), max("ts_ns")).first();
      Map<String, Long> byStatus = counts(packets.groupBy("decode_status").count());
      Map<String, Long> byProtocol = new LinkedHashMap<>();
      counts(packets.groupBy("protocol").count()).forEach((k, v) -> byProtocol.put(protocolName(k), v));
      Dataset<Row> problems = reader(spark, splitSize).option("rows", "problems")
          .load(inputs.toArray(String[]::new)).groupBy("reason").count();
      return new PacketsSummary(files.size(), files.values().stream().mapToLong(Long::longValue).sum(),
          totals.getLong(0), totals.getLong(1), byStatus, byProtocol, conversations(packets),
          totals.isNullAt(2) ? null : instant(totals.getLong(2)), totals.isNullAt(3) ? null : instant(totals.getLong(3)),
          counts(problems));
    } finally {
      packets.unpersist();
    }
  }

  private static DataFrameReader reader(SparkSession spark, Long splitSize) {
    DataFrameReader r = spark.read().format("pcap");
    return splitSize == null ? r : r.option("maxPartitionBytes", splitSize);
  }

  /** key -> count, most frequent first (ties by key); a null key is "none". */
  private static Map<String, Long> counts(Dataset<Row> grouped) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Row r : grouped.orderBy(col("count").desc(), col(grouped.columns()[0])).collectAsList()) {
      m.put(r.isNullAt(0) ? "none" : String.valueOf(r.get(0)), r.getLong(1));
    }
    return m;
  }

  static String protocolName(String number) {
    return switch (number) {
      case "1" -> "icmp";
      case "6" -> "tcp";
      case "17" -> "udp";
      case "58" -> "icmpv6";
      case "none" -> "none (not IP)";
      default -> "ip-proto-" + number;
    };
  }

  private static List<PacketsSummary.Conversation> conversations(Dataset<Row> packets) {
    String a = "CASE WHEN ip_version = 6 THEN concat('[', src_ip, ']:', src_port) ELSE concat(src_ip, ':', src_port) END";
    String b = "CASE WHEN ip_version = 6 THEN concat('[', dst_ip, ']:', dst_port) ELSE concat(dst_ip, ':', dst_port) END";
    Dataset<Row> tcp = packets.where("protocol = 6 AND tcp_flags IS NOT NULL")
        .withColumn("a", expr(a)).withColumn("b", expr(b))
        .selectExpr("least(a, b) AS lo", "greatest(a, b) AS hi",
            "CASE WHEN a <= b THEN src_port ELSE dst_port END AS lo_port",
            "CASE WHEN a <= b THEN dst_port ELSE src_port END AS hi_port",
            "coalesce(payload_len, 0) AS payload_len",
            "CASE WHEN tcp_flags & 18 = 2 THEN a END AS syn_from");
    List<PacketsSummary.Conversation> out = new ArrayList<>();
    for (Row r : tcp.groupBy("lo", "hi", "lo_port", "hi_port")
        .agg(count(lit(1)).as("packets"), sum("payload_len").as("bytes"), min("syn_from").as("syn_from"))
        .orderBy(col("packets").desc(), col("lo"), col("hi")).limit(TOP_CONVERSATIONS).collectAsList()) {
      String lo = r.getString(0);
      String hi = r.getString(1);
      String synFrom = r.isNullAt(6) ? null : r.getString(6);
      boolean loIsClient = synFrom != null ? synFrom.equals(lo) : r.getInt(2) >= r.getInt(3);
      out.add(new PacketsSummary.Conversation(loIsClient ? lo : hi, loIsClient ? hi : lo, r.getLong(4), r.getLong(5)));
    }
    return out;
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
