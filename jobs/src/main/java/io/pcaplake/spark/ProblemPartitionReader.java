package io.pcaplake.spark;

import io.pcaplake.flow.AnomalyRecord;
import java.util.ArrayDeque;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code rows=problems}: reads and decodes the same splits as the packet rows and emits one row per problem the
 * capture reader or the packet decoder reported, in the order found. Memory stays bounded: the queue only holds the
 * problems of the record just read.
 */
final class ProblemPartitionReader implements PartitionReader<InternalRow> {
  private final CaptureCursor cursor;
  private final String[] fields;
  private final ArrayDeque<InternalRow> queue = new ArrayDeque<>();
  private InternalRow row;

  ProblemPartitionReader(List<CaptureSplit> splits, Configuration conf, StructType required) {
    this.fields = required.fieldNames();
    this.cursor = new CaptureCursor(splits, conf,
        file -> (reason, offset, detail) -> queue.add(row(file, offset, reason, detail)));
  }


  private InternalRow row(String file, long offset, String reason, String detail) {
    Object[] v = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      v[i] = switch (fields[i]) {
        case "capture_file" -> UTF8String.fromString(file);
        case "record_index" -> offset < 0 ? null : offset;
        case "layer" -> UTF8String.fromString(AnomalyRecord.layerOf(reason));
        case "reason" -> UTF8String.fromString(reason);
        case "detail" -> detail == null ? null : UTF8String.fromString(detail);
        default -> throw new IllegalStateException("unknown problem column " + fields[i]);
      };
    }
    return new GenericInternalRow(v);
  }

  @Override
  public boolean next() {
    while (queue.isEmpty()) {
      if (!cursor.advance()) {
        break;
      }
      cursor.decoded();
    }
    row = queue.poll();
    return row != null;
  }

  @Override
  public InternalRow get() {
    return row;
  }

  @Override
  public void close() {
    cursor.close();
  }
}
