package io.pcaplake.spark;

import io.pcaplake.filter.CaptureFilter;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.types.StructType;

/** Sent to executors: the Hadoop configuration, the required columns and the row mode. */
final class PcapReaderFactory implements PartitionReaderFactory {
  private static final long serialVersionUID = 1L;
  private final SerializableConfiguration conf;
  private final StructType required;
  private final PcapOptions.RowMode rows;
  private final CaptureFilter filter;
  private final boolean deferFragments;

  PcapReaderFactory(SerializableConfiguration conf, StructType required, PcapOptions.RowMode rows,
                    CaptureFilter filter, boolean deferFragments) {
    this.deferFragments = deferFragments;
    this.conf = conf;
    this.required = required;
    this.rows = rows;
    this.filter = filter;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    PcapInputPartition p = (PcapInputPartition) partition;
    return switch (rows) {
      case PROBLEMS -> new ProblemPartitionReader(p.splits(), conf.get(), required);
      case SEGMENTS -> new SegmentPartitionReader(p.splits(), conf.get(), required, filter, deferFragments);
      case PACKETS -> new PacketPartitionReader(p.splits(), conf.get(), required, filter);
    };
  }
}
