package io.pcaplake.spark;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/** The splits one task reads, in order: one range of a large file, or several small files packed together. */
record PcapInputPartition(List<CaptureSplit> splits) implements InputPartition {
  PcapInputPartition {
    splits = List.copyOf(splits);
  }
}
