package io.pcaplake.spark;

import java.util.Locale;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * The columns of {@code format("pcap")} in the default {@code rows=packets} mode, in schema order. A column whose
 * {@link #decoded} flag is false comes straight from the capture record, so a scan that selects only such columns
 * never runs the packet decoder.
 */
enum PacketColumn {
  CAPTURE_FILE(DataTypes.StringType, false),
  RECORD_INDEX(DataTypes.LongType, false),
  TS(DataTypes.TimestampType, false),
  TS_NS(DataTypes.LongType, false),
  LINK_TYPE(DataTypes.IntegerType, false),
  CAPLEN(DataTypes.IntegerType, false),
  LEN(DataTypes.IntegerType, false),
  IP_VERSION(DataTypes.IntegerType, true),
  SRC_IP(DataTypes.StringType, true),
  DST_IP(DataTypes.StringType, true),
  PROTOCOL(DataTypes.IntegerType, true),
  SRC_PORT(DataTypes.IntegerType, true),
  DST_PORT(DataTypes.IntegerType, true),
  TCP_SEQ(DataTypes.LongType, true),
  TCP_ACK(DataTypes.LongType, true),
  TCP_FLAGS(DataTypes.IntegerType, true),
  TCP_WINDOW(DataTypes.IntegerType, true),
  PAYLOAD_LEN(DataTypes.IntegerType, true),
  VLAN(DataTypes.IntegerType, true),
  TTL(DataTypes.IntegerType, true),
  FRAGMENT(DataTypes.BooleanType, true),
  DECODE_STATUS(DataTypes.StringType, true),
  /** Only in the schema with {@code option("payload", "true")}. */
  PAYLOAD(DataTypes.BinaryType, true);

  final String columnName = name().toLowerCase(Locale.ROOT);
  final DataType type;
  final boolean decoded;

  PacketColumn(DataType type, boolean decoded) {
    this.type = type;
    this.decoded = decoded;
  }

  static PacketColumn byName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
