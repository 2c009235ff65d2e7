package io.pcaplake.hadoop;

import io.pcaplake.capture.CaptureInfo;
import io.pcaplake.capture.Captures;
import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
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

  @Override
  public RecordReader<LongWritable, PacketWritable> createRecordReader(InputSplit split, TaskAttemptContext context) {
    return new PcapRecordReader();
  }
}
