package io.pcaplake.spark;

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
  private final boolean problemRows;

  PcapReaderFactory(SerializableConfiguration conf, StructType required, boolean problemRows) {
    this.conf = conf;
    this.required = required;
    this.problemRows = problemRows;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    PcapInputPartition p = (PcapInputPartition) partition;
    return problemRows
        ? new ProblemPartitionReader(p.splits(), conf.get(), required)
        : new PacketPartitionReader(p.splits(), conf.get(), required);
  }
}
