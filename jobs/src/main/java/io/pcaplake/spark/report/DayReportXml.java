package io.pcaplake.spark.report;

import static org.apache.spark.sql.functions.col;

import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.flow.DirectionReport;
import io.pcaplake.flow.FlowKey;
import io.pcaplake.report.ReportXmlWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The day's report.xml: a tcpflow DFXML document ({@code docs/report.md}) with exactly the connections of the
 * day's {@code flows} rows, written by {@link ReportXmlWriter}.
 *
 * <p>The connection fields come from the {@code flows} rows. The per-direction figures a {@code <fileobject>}
 * needs and the table does not hold (frame lengths, MACs, {@code filesize}, tcpflow's counting rules) come from the
 * runs' own report.xml files ({@code reports/<run>/report.xml}, matched by {@code pl:flow_id} and
 * {@code pl:direction}; the newest file wins when runs overlap). A connection no run report describes (its report
 * was deleted) is still counted in {@code pl:total_connections} but gets no {@code <fileobject>}.
 *
 * <p>Memory: the day's flow ids and their two direction records are held on the driver while the document is
 * written (about 1 KB per connection).
 */
final class DayReportXml {
  private DayReportXml() { }

  static final String[] COLUMNS = {"flow_id", "community_id", "connection_index", "start_ts", "end_ts",
      "duration_ms", "family", "client_ip", "client_port", "server_ip", "server_port", "vlan", "client_packets",
      "server_packets", "client_bytes", "server_bytes", "missing_bytes", "retransmitted_bytes",
      "out_of_order_count", "overlap_conflicts", "syn_seen", "fin_seen", "rst_seen", "conn_state", "history",
      "capture_files"};

  /** Writes {@code out}; returns the number of connections in it. */
  static long write(org.apache.spark.sql.SparkSession spark, FileSystem fs, Path lake, LocalDate date,
                    Dataset<Row> flows, Path out, String commandLine, Instant now) throws IOException {
    Set<String> ids = new HashSet<>(flows.select("flow_id").as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList());
    Map<String, DirectionReport[]> directions = ids.isEmpty() ? Map.of() : directions(fs, lake, ids);
    long n = 0;
    try (OutputStream stream = fs.create(out, true);
         ReportXmlWriter w = new ReportXmlWriter(stream, new ReportXmlWriter.Options("pcaplake", "0.1.0",
             commandLine, "", now, null))) {
      Iterator<Row> it = flows.select(java.util.Arrays.stream(COLUMNS).map(c -> col(c))
              .toArray(org.apache.spark.sql.Column[]::new))
          .orderBy(col("start_ts"), col("flow_id")).toLocalIterator();
      while (it.hasNext()) {
        Row r = it.next();
        DirectionReport[] d = directions.getOrDefault(r.getString(0), new DirectionReport[2]);
        w.connection(connection(r, d[0], d[1]));
        n++;
      }
    }
    return n;
  }

  static ConnectionRecord connection(Row r, DirectionReport client, DirectionReport server) {
    Integer vlan = r.isNullAt(11) ? null : r.getInt(11);
    FlowKey key = FlowKey.of(r.getString(7), r.getInt(8), r.getString(9), r.getInt(10), FlowKey.TCP,
        vlan == null ? -1 : vlan);
    List<String> files = r.isNullAt(25) ? List.of() : r.getList(25);
    return new ConnectionRecord(r.getString(0), r.getString(1), r.getInt(2), nanos(r.getTimestamp(3)),
        nanos(r.getTimestamp(4)), r.getDouble(5), r.getString(6), r.getString(7), r.getInt(8), r.getString(9),
        r.getInt(10), vlan, r.getLong(12), r.getLong(13), r.getLong(14), r.getLong(15), r.getLong(16),
        r.getLong(17), r.getLong(18), r.getLong(19), r.getBoolean(20), r.getBoolean(21), r.getBoolean(22),
        r.getString(23), r.getString(24), files, key, client, server);
  }

  private static long nanos(Timestamp t) {
    Instant i = t.toInstant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  /** flow_id to {client, server} direction records, from every run's report.xml, oldest file first. */
  static Map<String, DirectionReport[]> directions(FileSystem fs, Path lake, Set<String> ids) throws IOException {
    Path reports = new Path(lake, "reports");
    Map<String, DirectionReport[]> m = new HashMap<>();
    if (!fs.exists(reports)) {
      return m;
    }
    List<FileStatus> files = new ArrayList<>();
    for (FileStatus run : fs.listStatus(reports)) {
      String name = run.getPath().getName();
      Path xml = new Path(run.getPath(), "report.xml");
      if (run.isDirectory() && !name.startsWith("dt=") && !name.startsWith("_") && !name.startsWith(".")
          && fs.exists(xml)) {
        files.add(fs.getFileStatus(xml));
      }
    }
    files.sort(Comparator.comparingLong(FileStatus::getModificationTime));
    for (FileStatus f : files) {
      try (InputStream in = fs.open(f.getPath())) {
        read(in, ids, m);
      } catch (XMLStreamException | RuntimeException e) {
        // A run's report cut short (a killed run): use what was readable.
        org.slf4j.LoggerFactory.getLogger(DayReportXml.class).warn("report {}: {}", f.getPath(), e.toString());
      }
    }
    return m;
  }

  /** Reads the fileobjects of the wanted flows from one DFXML document into {@code m}. */
  static void read(InputStream in, Set<String> ids, Map<String, DirectionReport[]> m) throws XMLStreamException {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
    XMLStreamReader x = factory.createXMLStreamReader(in);
    try {
      long filesize = 0;
      String current = null;
      while (x.hasNext()) {
        int ev = x.next();
        if (ev != XMLStreamConstants.START_ELEMENT) {
          continue;
        }
        String name = x.getLocalName();
        if (name.equals("fileobject")) {
          filesize = 0;
        } else if (name.equals("filesize")) {
          filesize = Long.parseLong(x.getElementText().trim());
        } else if (name.equals("tcpflow")) {
          current = x.getAttributeValue(ReportXmlWriter.NAMESPACE, "flow_id");
          if (current != null && ids.contains(current)) {
            boolean client = "client".equals(x.getAttributeValue(ReportXmlWriter.NAMESPACE, "direction"));
            long len = num(x, "len", 0);
            DirectionReport d = new DirectionReport(client, x.getAttributeValue(null, "src_ipn"),
                (int) num(x, "srcport", 0), x.getAttributeValue(null, "dst_ipn"), (int) num(x, "dstport", 0),
                time(x.getAttributeValue(null, "startime")), time(x.getAttributeValue(null, "endtime")),
                num(x, "packets", 0), len, num(x, "caplen", len), mac(x.getAttributeValue(null, "mac_saddr")),
                mac(x.getAttributeValue(null, "mac_daddr")), filesize, num(x, "out_of_order_count", 0),
                num(x, "violations", 0), numNs(x, "missing_bytes"));
            m.computeIfAbsent(current, k -> new DirectionReport[2])[client ? 0 : 1] = d;
          }
        }
      }
    } finally {
      x.close();
    }
  }

  private static long num(XMLStreamReader x, String attr, long otherwise) {
    String v = x.getAttributeValue("", attr);
    if (v == null) {
      v = x.getAttributeValue(null, attr);
    }
    return v == null || v.isEmpty() ? otherwise : Long.parseLong(v);
  }

  private static long numNs(XMLStreamReader x, String attr) {
    String v = x.getAttributeValue(ReportXmlWriter.NAMESPACE, attr);
    return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
  }

  private static long time(String iso) {
    if (iso == null) {
      return 0;
    }
    Instant i = Instant.parse(iso);
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private static long mac(String s) {
    if (s == null) {
      return -1;
    }
    return Long.parseLong(s.replace(":", ""), 16);
  }
}
