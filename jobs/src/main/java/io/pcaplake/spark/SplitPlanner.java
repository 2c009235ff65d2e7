package io.pcaplake.spark;

import io.pcaplake.capture.CaptureInfo;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.SplitState;
import io.pcaplake.hadoop.HadoopByteSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts files into {@link CaptureSplit}s of at most {@code maxBytes} and packs them into partitions.
 *
 * <p>Only files larger than {@code maxBytes} are sniffed on the driver (one small read each): a compressed one is
 * kept whole, with the reason logged. Small files are never opened here, so listing thousands of small captures costs
 * no driver I/O. A file whose sniff fails is kept whole; its reader reports the problem as a row. A pcapng file cut
 * in several splits is walked once here (sparse block-header walk, see {@code docs/formats/pcapng.md}, several files
 * in parallel) so that each split carries the state its reader starts from.
 *
 * <p>Packing follows Spark's file sources: splits sorted by size, largest first, added to the current partition
 * while its size plus {@code openCostBytes} per file stays within {@code maxBytes}.
 */
final class SplitPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(SplitPlanner.class);

  /** Driver threads for the split index walks (I/O-bound on remote storage, one core each when page-cached). */
  static final int INDEX_THREADS = 4;

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
    List<CaptureFile> multi = new ArrayList<>();
    for (CaptureFile f : files) {
      if (f.length() > maxBytes && splittable(f)) {
        multi.add(f);
      }
    }
    List<byte[][]> states = indexAll(multi);
    List<CaptureSplit> splits = new ArrayList<>();
    int m = 0;
    for (CaptureFile f : files) {
      if (m == multi.size() || multi.get(m) != f) {
        splits.add(new CaptureSplit(f.path(), f.length(), 0, f.length(), f.hostsAt(0)));
        continue;
      }
      byte[][] fileStates = states.get(m++);
      int k = 0;
      for (long start = 0; start < f.length(); start += maxBytes, k++) {
        splits.add(new CaptureSplit(f.path(), f.length(), start, Math.min(f.length(), start + maxBytes),
            f.hostsAt(start), fileStates == null ? null : fileStates[k]));
      }
    }
    return splits;
  }

  /**
   * The split index of each file cut in several splits ({@link Captures#splitStates}: one sparse walk of a pcapng
   * file, nothing for pcap), on up to {@link #INDEX_THREADS} driver threads. A file whose walk fails keeps no states:
   * its splits walk as before, and their readers report what is wrong.
   */
  private List<byte[][]> indexAll(List<CaptureFile> files) {
    List<byte[][]> out = new ArrayList<>();
    if (files.isEmpty()) {
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(INDEX_THREADS, files.size()), r -> {
      Thread t = new Thread(r, "pcaplake-split-index");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<byte[][]>> futures = new ArrayList<>();
      for (CaptureFile f : files) {
        futures.add(pool.submit(() -> index(f)));
      }
      for (int i = 0; i < files.size(); i++) {
        try {
          out.add(futures.get(i).get());
        } catch (ExecutionException e) {
          LOG.warn("{}: no split index, its splits walk from the file start ({})", files.get(i).path(),
              e.getCause().toString());
          out.add(null);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while indexing splits", e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return out;
  }

  private byte[][] index(CaptureFile f) throws IOException {
    int n = (int) ((f.length() + maxBytes - 1) / maxBytes);
    long[] starts = new long[n];
    for (int i = 0; i < n; i++) {
      starts[i] = i * maxBytes;
    }
    long t0 = System.nanoTime();
    SplitState[] states = Captures.splitStates(HadoopByteSource.of(new Path(f.path()), conf).withLength(f.length()),
        starts);
    if (states == null) {
      return null;
    }
    byte[][] encoded = new byte[n][];
    for (int i = 0; i < n; i++) {
      encoded[i] = states[i] == null ? null : states[i].encode();
    }
    LOG.info("{}: split index of {} splits in {} ms", f.path(), n, (System.nanoTime() - t0) / 1_000_000);
    return encoded;
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
