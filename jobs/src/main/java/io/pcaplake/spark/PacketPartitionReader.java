package io.pcaplake.spark;

import io.pcaplake.capture.ProblemSink;
import io.pcaplake.filter.CaptureFilter;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rows=packets}: one row per record, or, with a filter, per record the filter keeps with connection semantics
 * ({@link CaptureFilter#matchesEitherDirection}: the verdict of {@code rows=segments} for the same packet, so a
 * connection's rows are kept or dropped whole; {@code docs/filter.md}, "The packets table"). Problems are only
 * counted and logged here; {@code rows=problems} lists them.
 */
final class PacketPartitionReader implements PartitionReader<InternalRow> {
  private static final Logger LOG = LoggerFactory.getLogger(PacketPartitionReader.class);
  private static final int MAX_LOGGED = 10;

  private final CaptureCursor cursor;
  private final PacketRowWriter writer;
  /** Null: every record. */
  private final CaptureFilter filter;
  private long problems;
  private InternalRow row;

  PacketPartitionReader(List<CaptureSplit> splits, Configuration conf, StructType required) {
    this(splits, conf, required, null);
  }

  /** @param filter records kept (connection semantics); null or match-all: every record */
  PacketPartitionReader(List<CaptureSplit> splits, Configuration conf, StructType required, CaptureFilter filter) {
    this.cursor = new CaptureCursor(splits, conf, this::sink);
    this.writer = new PacketRowWriter(required);
    this.filter = filter == null || filter.matchesAll() ? null : filter;
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
    while (cursor.advance()) {
      // The record is decoded once: the row writer reuses the cursor's decoded packet.
      if (filter == null || filter.matchesEitherDirection(cursor.decoded())) {
        row = writer.write(cursor);
        return true;
      }
    }
    return false;
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
