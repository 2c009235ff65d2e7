package io.pcaplake.spark;

import java.util.List;
import org.apache.spark.sql.connector.read.InputPartition;

/** The splits one task reads, in order: one range of a large file, or several small files packed together. */
record PcapInputPartition(List<CaptureSplit> splits) implements InputPartition {
  PcapInputPartition {
    splits = List.copyOf(splits);
  }

  /** The hosts of the partition's largest split (Spark schedules the task there when it can). */
  @Override
  public String[] preferredLocations() {
    return splits.stream().max(java.util.Comparator.comparingLong(CaptureSplit::length))
        .map(s -> s.hosts().toArray(String[]::new)).orElse(new String[0]);
  }
}
