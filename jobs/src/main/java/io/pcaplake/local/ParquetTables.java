package io.pcaplake.local;

import io.pcaplake.capture.CaptureReader;
import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.http.HttpHeader;
import io.pcaplake.http.HttpRecord;
import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.spark.flows.TableSchemas;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The local engine's table writer: a {@link TableSink} writing {@code <out>/{flows,http,anomalies}/dt=YYYY-MM-DD/
 * part-00000-<run>.parquet} (and {@code packets/}, {@link #packet}) with parquet-avro, the schemas taken from the same {@code .avsc} contracts as the Spark
 * engine's ({@link TableSchemas#avro}), minus the partition column {@code dt} (in the directory name, as Spark's
 * {@code partitionBy} writes it); timestamps are {@code timestamp-micros}. Each table directory is replaced when the
 * writer opens (the Spark job's overwrite). One writer per (table, dt) is open, at most {@value #MAX_OPEN} in all:
 * past that the least recently written one is closed, and a later row of its partition opens the next part file
 * ({@code part-00001-<run>...}); all are closed by {@link #close()}.
 *
 * <p>Not thread-safe (the engine calls its sink from one thread at a time).
 */
public final class ParquetTables implements TableSink, Closeable {
  /** The tables of the {@link TableSink}; {@value #PACKETS} is written by {@link #packet} (ingest --packets). */
  public static final List<String> TABLES = List.of("flows", "http", "anomalies");
  public static final String PACKETS = "packets";
  private static final long NS_PER_DAY = 86_400_000_000_000L;
  /**
   * Memory bounds of the writers (each open writer holds its row group's pages, and per column a page being filled and
   * a dictionary, until they are flushed): at most {@value #MAX_OPEN} open (the least recently written is closed
   * first), row groups of 8 MiB, pages and dictionary pages of 64 KiB (parquet's defaults: 128 MiB, 1 MiB, 1 MiB;
   * the http table has 46 columns).
   */
  static final int MAX_OPEN = 6;
  static final long ROW_GROUP = 8L << 20;
  static final int PAGE = 64 << 10;
  private final Path out;
  private final String run;
  private final String runDate;
  private final Configuration conf;
  private final Map<String, Schema> schemas = new HashMap<>();
  /** Open writers by {@code table/dt=...}, least recently written first. */
  private final Map<String, ParquetWriter<GenericRecord>> writers = new LinkedHashMap<>(16, 0.75f, true);
  /** Part files opened per {@code table/dt=...}: the next one's number. */
  private final Map<String, Integer> parts = new HashMap<>();
  private final Schema header;
  private final Map<String, Long> rows = new HashMap<>();

  /**
   * @param out the output directory (any Hadoop path)
   * @param run the run id, in the part file names
   * @param runDate {@code dt} of anomalies without a time (UTC date of the run)
   */
  public ParquetTables(String out, String run, String runDate, Configuration conf) throws IOException {
    this.out = new Path(Objects.requireNonNull(out, "out"));
    this.run = Objects.requireNonNull(run, "run");
    this.runDate = Objects.requireNonNull(runDate, "runDate");
    this.conf = conf;
    conf.setBoolean("parquet.avro.write-old-list-structure", false);  // 3-level lists, as Spark writes them
    FileSystem fs = this.out.getFileSystem(conf);
    List<String> all = new ArrayList<>(TABLES);
    all.add(PACKETS);
    for (String t : all) {
      schemas.put(t, fileSchema(t));
      fs.delete(new Path(this.out, t), true);
    }
    Schema h = schemas.get("http").getField("request_headers").schema();
    this.header = nonNull(h).getElementType();
  }

  /** A table's record schema in its files: the contract's, minus {@code dt}. */
  public Schema schema(String table) {
    return Objects.requireNonNull(schemas.get(table), table);
  }

  /**
   * Writes a row read from another file of the table (a lake file rewritten without the rows a run replaces) into the
   * partition {@code dt}; {@code r} has {@link #schema}'s fields.
   */
  public void copy(String table, String dt, GenericRecord r) {
    write(table, dt, r);
  }

  /** Rows written per table so far. */
  public long rows(String table) {
    return rows.getOrDefault(table, 0L);
  }

  /**
   * A table's record schema in its files ({@code flows}, {@code http}, {@code anomalies}, {@code captures},
   * {@code packets}): the
   * {@code .avsc} contract's, minus the partition column {@code dt}.
   */
  public static Schema fileSchema(String table) {
    return withoutDt(TableSchemas.avro(table));
  }

  static Schema withoutDt(Schema s) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field f : s.getFields()) {
      if (!f.name().equals("dt")) {
        fields.add(new Schema.Field(f, f.schema()));
      }
    }
    return Schema.createRecord(s.getName(), s.getDoc(), s.getNamespace(), false, fields);
  }

  private static Schema nonNull(Schema s) {
    if (s.getType() != Schema.Type.UNION) {
      return s;
    }
    for (Schema t : s.getTypes()) {
      if (t.getType() != Schema.Type.NULL) {
        return t;
      }
    }
    throw new IllegalArgumentException("null-only union " + s);
  }

  @Override
  public void flow(ConnectionRecord c, int httpExchanges) {
    GenericRecord r = new GenericData.Record(schemas.get("flows"));
    r.put("flow_id", c.flowId());
    r.put("community_id", c.communityId());
    r.put("connection_index", c.connectionIndex());
    r.put("start_ts", c.startTsMicros());
    r.put("end_ts", c.endTsMicros());
    r.put("duration_ms", c.durationMs());
    r.put("family", c.family());
    r.put("client_ip", c.clientIp());
    r.put("client_port", c.clientPort());
    r.put("server_ip", c.serverIp());
    r.put("server_port", c.serverPort());
    r.put("vlan", c.vlan());
    r.put("client_packets", c.clientPackets());
    r.put("server_packets", c.serverPackets());
    r.put("client_bytes", c.clientBytes());
    r.put("server_bytes", c.serverBytes());
    r.put("missing_bytes", c.missingBytes());
    r.put("retransmitted_bytes", c.retransmittedBytes());
    r.put("out_of_order_count", c.outOfOrderCount());
    r.put("overlap_conflicts", c.overlapConflicts());
    r.put("syn_seen", c.synSeen());
    r.put("fin_seen", c.finSeen());
    r.put("rst_seen", c.rstSeen());
    r.put("conn_state", c.connState());
    r.put("history", c.history());
    r.put("http_exchanges", httpExchanges);
    r.put("capture_files", c.captureFiles());
    write("flows", c.dt(), r);
  }

  @Override
  public void http(HttpRecord h) {
    Schema s = schemas.get("http");
    GenericRecord r = new GenericData.Record(s);
    List<Object> values = h.values();
    for (int i = 0; i < HttpRecord.COLUMNS.size(); i++) {
      String name = HttpRecord.COLUMNS.get(i);
      if (name.equals("dt")) {
        continue;
      }
      Object v = values.get(i);
      if (v instanceof List<?> list) {
        List<GenericRecord> headers = new ArrayList<>(list.size());
        for (Object o : list) {
          HttpHeader hh = (HttpHeader) o;
          GenericRecord x = new GenericData.Record(header);
          x.put("name", hh.name());
          x.put("value", hh.value());
          headers.add(x);
        }
        v = headers;
      }
      r.put(name, v);
    }
    write("http", h.dt(), r);
  }

  @Override
  public void anomaly(AnomalyRecord a) {
    GenericRecord r = new GenericData.Record(schemas.get("anomalies"));
    r.put("capture_file", a.captureFile());
    r.put("record_index", a.recordIndex());
    r.put("flow_id", a.flowId());
    r.put("ts", a.tsMicros());
    r.put("layer", a.layer());
    r.put("reason", a.reason());
    r.put("detail", a.detail());
    write("anomalies", a.dt() == null ? runDate : a.dt(), r);
  }

  /**
   * A {@code packets} row ({@code packets.avsc}) for the reader's current record and its decoded packet: the values
   * the {@code pcap} data source gives (absent fields null), in the partition of the record's UTC date.
   */
  public void packet(String captureFile, CaptureReader r, DecodedPacket p) {
    GenericRecord g = new GenericData.Record(schemas.get(PACKETS));
    long ns = r.timestampNanos();
    g.put("capture_file", captureFile);
    g.put("record_index", r.recordOffset());
    g.put("ts", Math.floorDiv(ns, 1000L));
    g.put("ts_ns", ns);
    g.put("link_type", r.linkType());
    g.put("caplen", r.caplen());
    g.put("len", r.origlen());
    g.put("ip_version", p.ipVersion() == 0 ? null : p.ipVersion());
    g.put("src_ip", p.srcIp());
    g.put("dst_ip", p.dstIp());
    g.put("protocol", orNull(p.protocol()));
    g.put("src_port", orNull(p.srcPort()));
    g.put("dst_port", orNull(p.dstPort()));
    g.put("tcp_seq", p.isTcp() ? orNull(p.tcpSeq()) : null);
    g.put("tcp_ack", p.isTcp() ? orNull(p.tcpAck()) : null);
    g.put("tcp_flags", p.isTcp() ? orNull(p.tcpFlags()) : null);
    g.put("tcp_window", p.isTcp() ? orNull(p.tcpWindow()) : null);
    g.put("payload_len", p.payloadOffset() < 0 ? null : p.payloadWireLength());
    g.put("vlan", orNull(p.vlan()));
    g.put("ttl", orNull(p.ttl()));
    g.put("fragment", p.ipVersion() == 0 ? null : p.fragment());
    g.put("decode_status", p.status().code());
    write(PACKETS, LocalDate.ofEpochDay(Math.floorDiv(ns, NS_PER_DAY)).toString(), g);
  }

  private static Integer orNull(int v) {
    return v < 0 ? null : v;
  }

  private static Long orNull(long v) {
    return v < 0 ? null : v;
  }

  private void write(String table, String dt, GenericRecord r) {
    String k = table + "/dt=" + dt;
    try {
      ParquetWriter<GenericRecord> w = writers.get(k);
      if (w == null) {
        if (writers.size() >= MAX_OPEN) {
          // The least recently written partition (captures run forward in time: an earlier day) is closed; rows that
          // still come for it go to a new part file.
          Iterator<ParquetWriter<GenericRecord>> eldest = writers.values().iterator();
          ParquetWriter<GenericRecord> e = eldest.next();
          eldest.remove();
          e.close();
        }
        int part = parts.merge(k, 1, Integer::sum) - 1;
        Path file = new Path(new Path(out, k), String.format(Locale.ROOT, "part-%05d-%s.snappy.parquet", part, run));
        w = AvroParquetWriter.<GenericRecord>builder(org.apache.parquet.hadoop.util.HadoopOutputFile
                .fromPath(file, conf))
            .withSchema(schemas.get(table))
            .withConf(conf)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withRowGroupSize(ROW_GROUP)
            .withPageSize(PAGE)
            .withDictionaryPageSize(PAGE)
            .build();
        writers.put(k, w);
      }
      w.write(r);
      rows.merge(table, 1L, Long::sum);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (ParquetWriter<GenericRecord> w : writers.values()) {
      try {
        w.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    writers.clear();
    if (first != null) {
      throw first;
    }
  }
}
