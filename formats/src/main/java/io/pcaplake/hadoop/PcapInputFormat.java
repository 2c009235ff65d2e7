package io.pcaplake.hadoop;

import io.pcaplake.capture.CaptureInfo;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.SplitState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads pcap and pcapng files (plain or gzip/zstd/bzip2-compressed, detected by magic number) with the MapReduce
 * API, for Hadoop, Hive or Spark RDD users ({@code sc.newAPIHadoopFile(path, PcapInputFormat.class,
 * LongWritable.class, PacketWritable.class, conf)}).
 *
 * <p>Key: the record's byte offset in the decompressed file (the {@code record_index} of the Spark data source:
 * unique, stable, independent of the split size). Value: a reused {@link PacketWritable}.
 *
 * <p>Uncompressed captures are split at block boundaries like text files: each split returns exactly the records
 * whose header starts inside it (the capture reader resyncs to the first true record boundary). Compressed ones are
 * read whole by one task, and the reason is logged. Problems inside a capture never fail the task: they are logged
 * and counted per reason code in the counter group {@code pcaplake.problems}.
 */
public final class PcapInputFormat extends FileInputFormat<LongWritable, PacketWritable> {
  private static final Logger LOG = LoggerFactory.getLogger(PcapInputFormat.class);

  @Override
  protected boolean isSplitable(JobContext context, Path file) {
    try {
      FileSystem fs = file.getFileSystem(context.getConfiguration());
      CaptureInfo info = Captures.sniff(new HadoopByteSource(fs, file));
      if (!info.splittable()) {
        LOG.info("{} is read whole by one task: {}", file, info.unsplittableReason());
      }
      return info.splittable();
    } catch (IOException e) {
      LOG.warn("{} is read whole by one task: cannot sniff it ({})", file, e.toString());
      return false;
    }
  }

  /**
   * FileInputFormat's splits; those of a pcapng file cut in several become {@link PcapFileSplit}s carrying their
   * {@link SplitState} from one sparse walk of the file ({@link Captures#splitStates}), so that k splits cost one walk
   * instead of k (see {@code docs/formats/pcapng.md}). A file whose walk fails keeps plain splits (they walk).
   */
  @Override
  public List<InputSplit> getSplits(JobContext job) throws IOException {
    List<InputSplit> splits = super.getSplits(job);
    Map<Path, List<Integer>> byFile = new LinkedHashMap<>();
    for (int i = 0; i < splits.size(); i++) {
      if (splits.get(i) instanceof FileSplit fs) {
        byFile.computeIfAbsent(fs.getPath(), p -> new ArrayList<>()).add(i);
      }
    }
    List<InputSplit> out = new ArrayList<>(splits);
    for (Map.Entry<Path, List<Integer>> e : byFile.entrySet()) {
      List<Integer> at = e.getValue();
      if (at.size() < 2) {
        continue;
      }
      at.sort(Comparator.comparingLong(i -> ((FileSplit) splits.get(i)).getStart()));
      long[] starts = at.stream().mapToLong(i -> ((FileSplit) splits.get(i)).getStart()).toArray();
      SplitState[] states;
      try {
        FileSystem fs = e.getKey().getFileSystem(job.getConfiguration());
        states = Captures.splitStates(new HadoopByteSource(fs, e.getKey()), starts);
      } catch (IOException | RuntimeException ex) {
        LOG.warn("{}: no split index, its splits walk from the file start ({})", e.getKey(), ex.toString());
        continue;
      }
      if (states == null) {
        continue;
      }
      for (int k = 0; k < at.size(); k++) {
        FileSplit s = (FileSplit) splits.get(at.get(k));
        if (states[k] != null) {
          out.set(at.get(k), new PcapFileSplit(s.getPath(), s.getStart(), s.getLength(), s.getLocations(),
              states[k].encode()));
        }
      }
    }
    return out;
  }

  @Override
  public RecordReader<LongWritable, PacketWritable> createRecordReader(InputSplit split, TaskAttemptContext context) {
    return new PcapRecordReader();
  }
}
