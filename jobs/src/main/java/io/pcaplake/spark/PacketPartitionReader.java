package io.pcaplake.spark;

import io.pcaplake.capture.ProblemSink;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code rows=packets}: one row per record. Problems are only counted and logged here; {@code rows=problems} lists them. */
final class PacketPartitionReader implements PartitionReader<InternalRow> {
  private static final Logger LOG = LoggerFactory.getLogger(PacketPartitionReader.class);
  private static final int MAX_LOGGED = 10;

  private final CaptureCursor cursor;
  private final PacketRowWriter writer;
  private long problems;
  private InternalRow row;

  PacketPartitionReader(List<CaptureSplit> splits, Configuration conf, StructType required) {
    this.cursor = new CaptureCursor(splits, conf, this::sink);
    this.writer = new PacketRowWriter(required);
  }

  private ProblemSink sink(String file) {
    return (reason, offset, detail) -> {
      problems++;
      if (problems <= MAX_LOGGED) {
        LOG.warn("{} @{}: {} {}", file, offset, reason, detail);
      }
    };
  }

  @Override
  public boolean next() {
    if (!cursor.advance()) {
      return false;
    }
    row = writer.write(cursor);
    return true;
  }

  @Override
  public InternalRow get() {
    return row;
  }

  @Override
  public void close() {
    if (problems > MAX_LOGGED) {
      LOG.warn("{} problems in this partition; read them with option(\"rows\", \"problems\")", problems);
    }
    cursor.close();
  }
}
