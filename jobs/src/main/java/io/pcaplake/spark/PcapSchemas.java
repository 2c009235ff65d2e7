package io.pcaplake.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The two schemas of {@code format("pcap")}: one row per record, or one row per problem ({@code rows=problems}). */
final class PcapSchemas {
  private PcapSchemas() { }

  static final StructType PROBLEMS = new StructType(new StructField[] {
      DataTypes.createStructField("capture_file", DataTypes.StringType, false),
      DataTypes.createStructField("record_index", DataTypes.LongType, true),
      DataTypes.createStructField("layer", DataTypes.StringType, false),
      DataTypes.createStructField("reason", DataTypes.StringType, false),
      DataTypes.createStructField("detail", DataTypes.StringType, true),
  });

  static StructType of(PcapOptions options) {
    return switch (options.rows()) {
      case PROBLEMS -> PROBLEMS;
      case SEGMENTS -> SegmentColumns.SCHEMA;
      case PACKETS -> packets(options.payload());
    };
  }

  static StructType packets(boolean withPayload) {
    List<StructField> fields = new ArrayList<>();
    for (PacketColumn c : PacketColumn.values()) {
      if (c == PacketColumn.PAYLOAD && !withPayload) {
        continue;
      }
      boolean nullable = c.decoded;
      fields.add(DataTypes.createStructField(c.columnName, c.type, nullable));
    }
    return new StructType(fields.toArray(StructField[]::new));
  }
}
