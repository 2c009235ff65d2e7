package io.pcaplake.spark;

import io.pcaplake.capture.CaptureInfo;
import io.pcaplake.capture.Captures;
import io.pcaplake.hadoop.HadoopByteSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts files into {@link CaptureSplit}s of at most {@code maxBytes} and packs them into partitions.
 *
 * <p>Only files larger than {@code maxBytes} are sniffed on the driver (one small read each): a compressed one is
 * kept whole, with the reason logged. Small files are never opened here, so listing thousands of small captures costs
 * no driver I/O. A file whose sniff fails is kept whole; its reader reports the problem as a row.
 *
 * <p>Packing follows Spark's file sources: splits sorted by size, largest first, added to the current partition
 * while its size plus {@code openCostBytes} per file stays within {@code maxBytes}.
 */
final class SplitPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(SplitPlanner.class);

  private final long maxBytes;
  private final long openCostBytes;
  private final Configuration conf;

  SplitPlanner(long maxBytes, long openCostBytes, Configuration conf) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.openCostBytes = Math.max(0, openCostBytes);
    this.conf = conf;
  }

  List<CaptureSplit> split(List<CaptureFile> files) {
    List<CaptureSplit> splits = new ArrayList<>();
    for (CaptureFile f : files) {
      if (f.length() <= maxBytes || !splittable(f)) {
        splits.add(new CaptureSplit(f.path(), f.length(), 0, f.length(), f.hostsAt(0)));
        continue;
      }
      for (long start = 0; start < f.length(); start += maxBytes) {
        splits.add(new CaptureSplit(f.path(), f.length(), start, Math.min(f.length(), start + maxBytes),
            f.hostsAt(start)));
      }
    }
    return splits;
  }

  List<PcapInputPartition> plan(List<CaptureFile> files) {
    List<CaptureSplit> splits = split(files);
    splits.sort(Comparator.comparingLong(CaptureSplit::length).reversed()
        .thenComparing(CaptureSplit::path).thenComparingLong(CaptureSplit::start));
    List<PcapInputPartition> partitions = new ArrayList<>();
    List<CaptureSplit> current = new ArrayList<>();
    long size = 0;
    for (CaptureSplit s : splits) {
      if (!current.isEmpty() && size + s.length() > maxBytes) {
        partitions.add(new PcapInputPartition(current));
        current = new ArrayList<>();
        size = 0;
      }
      current.add(s);
      size += s.length() + openCostBytes;
    }
    if (!current.isEmpty()) {
      partitions.add(new PcapInputPartition(current));
    }
    return partitions;
  }

  private boolean splittable(CaptureFile f) {
    try {
      CaptureInfo info = Captures.sniff(HadoopByteSource.of(new Path(f.path()), conf).withLength(f.length()));
      if (!info.splittable()) {
        LOG.info("{} is read whole by one task: {}", f.path(), info.unsplittableReason());
      }
      return info.splittable();
    } catch (IOException e) {
      LOG.warn("{} is read whole by one task: cannot sniff it ({})", f.path(), e.toString());
      return false;
    }
  }
}
