package io.pcaplake.spark;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The schema of {@code format("pcap").option("rows", "segments")}: what {@link io.pcaplake.flow.FlowAssembler}
 * needs per TCP record, plus, in the same pass, the problems found and a record count per file, so the flows job
 * reads every capture once. The {@link #KIND} column says which of the three a row is:
 * <ul>
 *   <li>{@value #SEGMENT}: one decoded TCP record that passed the filter ({@code key} ... {@code dst_mac});</li>
 *   <li>{@value #PROBLEM}: a capture- or packet-level problem ({@code capture_file}, {@code record_index},
 *       {@code ts_ns} when the record's time is known, {@code layer}, {@code reason}, {@code detail});</li>
 *   <li>{@value #COUNT}: records read from {@code capture_file} by one task ({@code records}: returned by the reader;
 *       {@code records_ok}, {@code records_unsupported}, {@code records_bad}: the record accounting of
 *       {@link io.pcaplake.packet.RecordAccount}, so records_read = records_ok + records_unsupported + records_bad;
 *       {@code ts_ns}, {@code last_ts_ns}: the earliest and latest record time, null when no record had one);</li>
 *   <li>{@value #FRAGMENT} (only with {@code option("fragments", "defer")}): an IP fragment record, handed on whole
 *       for one decoder per file to reassemble ({@code capture_file}, {@code record_index}, {@code last_ts_ns}: the
 *       record's time, {@code ts_ns} null so that sorting by (key, ts_ns, capture_file, record_index) puts a file's
 *       fragments in file order; {@code payload}: the captured record bytes; {@code frame_len}, {@code caplen},
 *       {@code link_type}, {@code fcs_len}: what the decoder needs).</li>
 * </ul>
 */
public final class SegmentColumns {
  public static final String SEGMENT = "segment";
  public static final String PROBLEM = "problem";
  public static final String COUNT = "count";
  public static final String FRAGMENT = "fragment";

  public static final String KIND = "kind";
  /** {@link io.pcaplake.flow.FlowKey#encode()}: sorts and partitions by connection key. */
  public static final String KEY = "key";
  public static final String FROM_A = "from_a";
  public static final String TS_NS = "ts_ns";
  public static final String CAPTURE_FILE = "capture_file";
  public static final String RECORD_INDEX = "record_index";
  public static final String SEQ = "seq";
  public static final String ACK = "ack";
  public static final String FLAGS = "flags";
  public static final String WINDOW = "window";
  public static final String WSCALE = "wscale";
  public static final String PAYLOAD = "payload";
  public static final String PAYLOAD_WIRE_LEN = "payload_wire_len";
  public static final String FRAME_LEN = "frame_len";
  public static final String CAPLEN = "caplen";
  public static final String SRC_MAC = "src_mac";
  public static final String DST_MAC = "dst_mac";
  public static final String LAYER = "layer";
  public static final String REASON = "reason";
  public static final String DETAIL = "detail";
  public static final String RECORDS = "records";
  /** Count rows: records the reader looked at, returned ({@link #RECORDS}) or counted bad. */
  public static final String RECORDS_READ = "records_read";
  /** Count rows: of {@link #RECORDS}, decoded ({@code ok}, {@code fragment}, {@code not_ip}). */
  public static final String RECORDS_OK = "records_ok";
  /** Count rows: of {@link #RECORDS}, {@code unsupported_link_type}. */
  public static final String RECORDS_UNSUPPORTED = "records_unsupported";
  /** Count rows: records the reader counted bad plus returned records decoded {@code truncated}/{@code malformed}. */
  public static final String RECORDS_BAD = "records_bad";
  /** Count rows: the latest record time of the file in this task ({@link #TS_NS} holds the earliest). */
  public static final String LAST_TS_NS = "last_ts_ns";
  /** Fragment rows: the record's link type. */
  public static final String LINK_TYPE = "link_type";
  /** Fragment rows: frame check sequence bytes at the end of the record. */
  public static final String FCS_LEN = "fcs_len";

  public static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField(KIND, DataTypes.StringType, false),
      DataTypes.createStructField(KEY, DataTypes.BinaryType, true),
      DataTypes.createStructField(FROM_A, DataTypes.BooleanType, true),
      DataTypes.createStructField(TS_NS, DataTypes.LongType, true),
      DataTypes.createStructField(CAPTURE_FILE, DataTypes.StringType, false),
      DataTypes.createStructField(RECORD_INDEX, DataTypes.LongType, true),
      DataTypes.createStructField(SEQ, DataTypes.LongType, true),
      DataTypes.createStructField(ACK, DataTypes.LongType, true),
      DataTypes.createStructField(FLAGS, DataTypes.IntegerType, true),
      DataTypes.createStructField(WINDOW, DataTypes.IntegerType, true),
      DataTypes.createStructField(WSCALE, DataTypes.IntegerType, true),
      DataTypes.createStructField(PAYLOAD, DataTypes.BinaryType, true),
      DataTypes.createStructField(PAYLOAD_WIRE_LEN, DataTypes.IntegerType, true),
      DataTypes.createStructField(FRAME_LEN, DataTypes.IntegerType, true),
      DataTypes.createStructField(CAPLEN, DataTypes.IntegerType, true),
      DataTypes.createStructField(SRC_MAC, DataTypes.LongType, true),
      DataTypes.createStructField(DST_MAC, DataTypes.LongType, true),
      DataTypes.createStructField(LAYER, DataTypes.StringType, true),
      DataTypes.createStructField(REASON, DataTypes.StringType, true),
      DataTypes.createStructField(DETAIL, DataTypes.StringType, true),
      DataTypes.createStructField(RECORDS, DataTypes.LongType, true),
      DataTypes.createStructField(RECORDS_READ, DataTypes.LongType, true),
      DataTypes.createStructField(RECORDS_OK, DataTypes.LongType, true),
      DataTypes.createStructField(RECORDS_UNSUPPORTED, DataTypes.LongType, true),
      DataTypes.createStructField(RECORDS_BAD, DataTypes.LongType, true),
      DataTypes.createStructField(LAST_TS_NS, DataTypes.LongType, true),
      DataTypes.createStructField(LINK_TYPE, DataTypes.IntegerType, true),
      DataTypes.createStructField(FCS_LEN, DataTypes.IntegerType, true),
  });

  private SegmentColumns() { }
}
