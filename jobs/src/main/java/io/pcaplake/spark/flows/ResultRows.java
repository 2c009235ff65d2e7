package io.pcaplake.spark.flows;

import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.flow.DirectionReport;
import io.pcaplake.flow.FlowKey;
import io.pcaplake.http.HttpHeader;
import io.pcaplake.http.HttpRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The persisted reassembly result: one union row per connection ({@value #FLOW}: every {@code flows} column plus
 * the key and both directions' report.xml figures), per HTTP exchange ({@value #HTTP}: every {@code http} column),
 * per problem ({@value #ANOMALY}: every {@code anomalies} column) and counts ({@value #COUNT}: per file, records
 * read and their accounting; per task, without a file, the TCP payload accounting). Timestamps are kept as microseconds (the tables) and, for the
 * connection, nanoseconds (report.xml); no payload is in it. Each table is written from it by a projection.
 */
final class ResultRows {
  static final String FLOW = "flow";
  static final String ANOMALY = "anomaly";
  static final String COUNT = "count";
  static final String HTTP = "http";

  static final StructType DIRECTION = new StructType(new StructField[] {
      f("from_client", DataTypes.BooleanType), f("src_ip", DataTypes.StringType), f("src_port", DataTypes.IntegerType),
      f("dst_ip", DataTypes.StringType), f("dst_port", DataTypes.IntegerType), f("first_ts", DataTypes.LongType),
      f("last_ts", DataTypes.LongType), f("packets", DataTypes.LongType), f("wire_len", DataTypes.LongType),
      f("cap_len", DataTypes.LongType), f("src_mac", DataTypes.LongType), f("dst_mac", DataTypes.LongType),
      f("filesize", DataTypes.LongType), f("out_of_order_count", DataTypes.LongType),
      f("violations", DataTypes.LongType), f("missing_bytes", DataTypes.LongType)});

  private static final StructType BASE = new StructType(new StructField[] {
      DataTypes.createStructField("kind", DataTypes.StringType, false),
      f("dt", DataTypes.StringType),
      f("flow_id", DataTypes.StringType), f("community_id", DataTypes.StringType),
      f("connection_index", DataTypes.IntegerType), f("start_ts", DataTypes.LongType),
      f("end_ts", DataTypes.LongType), f("start_ts_ns", DataTypes.LongType), f("end_ts_ns", DataTypes.LongType),
      f("duration_ms", DataTypes.DoubleType), f("family", DataTypes.StringType), f("client_ip", DataTypes.StringType),
      f("client_port", DataTypes.IntegerType), f("server_ip", DataTypes.StringType),
      f("server_port", DataTypes.IntegerType), f("vlan", DataTypes.IntegerType),
      f("client_packets", DataTypes.LongType), f("server_packets", DataTypes.LongType),
      f("client_bytes", DataTypes.LongType), f("server_bytes", DataTypes.LongType),
      f("missing_bytes", DataTypes.LongType), f("retransmitted_bytes", DataTypes.LongType),
      f("out_of_order_count", DataTypes.LongType), f("overlap_conflicts", DataTypes.LongType),
      f("syn_seen", DataTypes.BooleanType), f("fin_seen", DataTypes.BooleanType), f("rst_seen", DataTypes.BooleanType),
      f("conn_state", DataTypes.StringType), f("history", DataTypes.StringType),
      f("http_exchanges", DataTypes.IntegerType),
      f("capture_files", DataTypes.createArrayType(DataTypes.StringType, false)),
      f("key", DataTypes.BinaryType), f("client_report", DIRECTION), f("server_report", DIRECTION),
      f("capture_file", DataTypes.StringType), f("record_index", DataTypes.LongType), f("ts", DataTypes.LongType),
      f("layer", DataTypes.StringType), f("reason", DataTypes.StringType), f("detail", DataTypes.StringType),
      f("records", DataTypes.LongType), f("records_read", DataTypes.LongType), f("records_ok", DataTypes.LongType),
      f("records_unsupported", DataTypes.LongType), f("records_bad", DataTypes.LongType),
      f("payload_fed", DataTypes.LongType), f("payload_seen", DataTypes.LongType),
      f("payload_delivered", DataTypes.LongType), f("payload_retransmitted", DataTypes.LongType),
      f("payload_conflicting", DataTypes.LongType), f("payload_dropped", DataTypes.LongType),
      f("payload_uncaptured", DataTypes.LongType)});

  /**
   * The union schema: {@link #BASE} plus every {@code http} contract column it lacks (nullable; timestamps as
   * microseconds, like the other tables' in this result). A column both have must have the same type.
   */
  static final StructType SCHEMA = withContract(BASE, "http");

  private static StructType withContract(StructType base, String table) {
    List<StructField> fields = new ArrayList<>(List.of(base.fields()));
    for (StructField f : TableSchemas.of(table).fields()) {
      DataType t = f.dataType().equals(DataTypes.TimestampType) ? DataTypes.LongType : f.dataType();
      if (List.of(base.fieldNames()).contains(f.name())) {
        DataType have = base.apply(f.name()).dataType();
        if (!have.equals(t)) {
          throw new IllegalStateException(table + "." + f.name() + " is " + t + " but the result has " + have);
        }
      } else {
        fields.add(DataTypes.createStructField(f.name(), t, true));
      }
    }
    return new StructType(fields.toArray(StructField[]::new));
  }

  private static final Map<String, Integer> INDEX = new HashMap<>();

  static {
    for (int i = 0; i < SCHEMA.length(); i++) {
      INDEX.put(SCHEMA.fields()[i].name(), i);
    }
  }

  private ResultRows() { }

  private static StructField f(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }

  static int index(String column) {
    Integer i = INDEX.get(column);
    if (i == null) {
      throw new IllegalArgumentException("no result column " + column);
    }
    return i;
  }

  private static Object[] values(String kind) {
    Object[] v = new Object[SCHEMA.length()];
    v[0] = kind;
    return v;
  }

  private static void set(Object[] v, String column, Object value) {
    v[index(column)] = value;
  }

  static Row flow(ConnectionRecord c, int httpExchanges) {
    Object[] v = values(FLOW);
    set(v, "dt", c.dt());
    set(v, "flow_id", c.flowId());
    set(v, "community_id", c.communityId());
    set(v, "connection_index", c.connectionIndex());
    set(v, "start_ts", c.startTsMicros());
    set(v, "end_ts", c.endTsMicros());
    set(v, "start_ts_ns", c.startTs());
    set(v, "end_ts_ns", c.endTs());
    set(v, "duration_ms", c.durationMs());
    set(v, "family", c.family());
    set(v, "client_ip", c.clientIp());
    set(v, "client_port", c.clientPort());
    set(v, "server_ip", c.serverIp());
    set(v, "server_port", c.serverPort());
    set(v, "vlan", c.vlan());
    set(v, "client_packets", c.clientPackets());
    set(v, "server_packets", c.serverPackets());
    set(v, "client_bytes", c.clientBytes());
    set(v, "server_bytes", c.serverBytes());
    set(v, "missing_bytes", c.missingBytes());
    set(v, "retransmitted_bytes", c.retransmittedBytes());
    set(v, "out_of_order_count", c.outOfOrderCount());
    set(v, "overlap_conflicts", c.overlapConflicts());
    set(v, "syn_seen", c.synSeen());
    set(v, "fin_seen", c.finSeen());
    set(v, "rst_seen", c.rstSeen());
    set(v, "conn_state", c.connState());
    set(v, "history", c.history());
    set(v, "http_exchanges", httpExchanges);
    set(v, "capture_files", CollectionConverters.asScala(c.captureFiles()).toSeq());
    set(v, "key", c.key().encode());
    set(v, "client_report", direction(c.clientReport()));
    set(v, "server_report", direction(c.serverReport()));
    return RowFactory.create(v);
  }

  /** An {@code http} row: every contract column by name (timestamps stay microseconds; headers as structs). */
  static Row http(HttpRecord r) {
    Object[] v = values(HTTP);
    List<Object> values = r.values();
    for (int i = 0; i < HTTP_INDEX.length; i++) {
      Object x = values.get(i);
      if (x instanceof List<?> headers) {
        Row[] rows = new Row[headers.size()];
        for (int j = 0; j < rows.length; j++) {
          HttpHeader h = (HttpHeader) headers.get(j);
          rows[j] = RowFactory.create(h.name(), h.value());
        }
        x = CollectionConverters.asScala(java.util.Arrays.asList(rows)).toSeq();
      }
      v[HTTP_INDEX[i]] = x;
    }
    return RowFactory.create(v);
  }

  /** Result index of each {@link HttpRecord#COLUMNS} entry. */
  private static final int[] HTTP_INDEX = HttpRecord.COLUMNS.stream().mapToInt(ResultRows::index).toArray();

  private static Row direction(DirectionReport d) {
    return d == null ? null : RowFactory.create(d.fromClient(), d.srcIp(), d.srcPort(), d.dstIp(), d.dstPort(),
        d.firstTs(), d.lastTs(), d.packets(), d.wireLen(), d.capLen(), d.srcMac(), d.dstMac(), d.filesize(),
        d.outOfOrderCount(), d.violations(), d.missingBytes());
  }

  static Row anomaly(AnomalyRecord a, String runDate) {
    return anomaly(a.captureFile(), a.recordIndex(), a.flowId(), a.tsMicros(), a.layer(), a.reason(), a.detail(),
        a.dt() != null ? a.dt() : runDate);
  }

  static Row anomaly(String captureFile, Long recordIndex, String flowId, Long tsMicros, String layer,
                     String reason, String detail, String dt) {
    Object[] v = values(ANOMALY);
    set(v, "capture_file", captureFile);
    set(v, "record_index", recordIndex);
    set(v, "flow_id", flowId);
    set(v, "ts", tsMicros);
    set(v, "layer", layer);
    set(v, "reason", reason);
    set(v, "detail", detail);
    set(v, "dt", dt);
    return RowFactory.create(v);
  }

  static Row count(String captureFile, long records, long read, long ok, long unsupported, long bad) {
    Object[] v = values(COUNT);
    set(v, "capture_file", captureFile);
    set(v, "records", records);
    set(v, "records_read", read);
    set(v, "records_ok", ok);
    set(v, "records_unsupported", unsupported);
    set(v, "records_bad", bad);
    return RowFactory.create(v);
  }

  /**
   * A task's TCP payload accounting ({@code docs/accounting.md}), a count row without a file: {@code fed} = payload
   * wire bytes of the segments it reassembled; the rest summed over its connections' directions.
   */
  static Row payload(long fed, long seen, long delivered, long retransmitted, long conflicting, long dropped,
                     long uncaptured) {
    Object[] v = values(COUNT);
    set(v, "payload_fed", fed);
    set(v, "payload_seen", seen);
    set(v, "payload_delivered", delivered);
    set(v, "payload_retransmitted", retransmitted);
    set(v, "payload_conflicting", conflicting);
    set(v, "payload_dropped", dropped);
    set(v, "payload_uncaptured", uncaptured);
    return RowFactory.create(v);
  }

  /** The columns {@link #connection} needs, in its order. */
  static final String[] CONNECTION_COLUMNS = {"flow_id", "community_id", "connection_index", "start_ts_ns",
      "end_ts_ns", "duration_ms", "family", "client_ip", "client_port", "server_ip", "server_port", "vlan",
      "client_packets", "server_packets", "client_bytes", "server_bytes", "missing_bytes", "retransmitted_bytes",
      "out_of_order_count", "overlap_conflicts", "syn_seen", "fin_seen", "rst_seen", "conn_state", "history",
      "capture_files", "key", "client_report", "server_report"};

  /** Rebuilds a connection from a row of {@link #CONNECTION_COLUMNS} (for report.xml on the driver). */
  static ConnectionRecord connection(Row r) {
    List<String> files = r.getList(25);
    return new ConnectionRecord(r.getString(0), r.getString(1), r.getInt(2), r.getLong(3), r.getLong(4),
        r.getDouble(5), r.getString(6), r.getString(7), r.getInt(8), r.getString(9), r.getInt(10),
        r.isNullAt(11) ? null : r.getInt(11), r.getLong(12), r.getLong(13), r.getLong(14), r.getLong(15),
        r.getLong(16), r.getLong(17), r.getLong(18), r.getLong(19), r.getBoolean(20), r.getBoolean(21),
        r.getBoolean(22), r.getString(23), r.getString(24), files, FlowKey.decode((byte[]) r.get(26)),
        direction(r.getStruct(27)), direction(r.getStruct(28)));
  }

  private static DirectionReport direction(Row d) {
    return d == null ? null : new DirectionReport(d.getBoolean(0), d.getString(1), d.getInt(2), d.getString(3),
        d.getInt(4), d.getLong(5), d.getLong(6), d.getLong(7), d.getLong(8), d.getLong(9), d.getLong(10),
        d.getLong(11), d.getLong(12), d.getLong(13), d.getLong(14), d.getLong(15));
  }
}
