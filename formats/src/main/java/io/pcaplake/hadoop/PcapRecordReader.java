package io.pcaplake.hadoop;

import io.pcaplake.capture.CaptureReader;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.ProblemSink;
import java.io.IOException;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the records that start inside one {@link FileSplit}; see {@link PcapInputFormat}. */
final class PcapRecordReader extends RecordReader<LongWritable, PacketWritable> {
  /** Counter group and name for problems found in the capture (reason codes go to the log). */
  static final String PROBLEMS_COUNTER = "pcaplake.problems";
  private static final Logger LOG = LoggerFactory.getLogger(PcapRecordReader.class);
  private static final int MAX_LOGGED = 20;

  private final LongWritable key = new LongWritable();
  private final PacketWritable value = new PacketWritable();
  private CaptureReader reader;
  private long start;
  private long length;
  private long lastOffset;
  private boolean done;
  private long problems;
  private TaskAttemptContext context;

  @Override
  public void initialize(InputSplit genericSplit, TaskAttemptContext ctx) throws IOException {
    FileSplit split = (FileSplit) genericSplit;
    context = ctx;
    start = split.getStart();
    length = split.getLength();
    lastOffset = start;
    HadoopByteSource source = HadoopByteSource.of(split.getPath(), ctx.getConfiguration());
    reader = Captures.openSplit(source, start, start + length,
        split instanceof PcapFileSplit indexed ? indexed.state() : null, sink(source.name()));
  }

  private ProblemSink sink(String file) {
    return (reason, offset, detail) -> {
      problems++;
      org.apache.hadoop.mapreduce.Counter counter =
          context == null ? null : context.getCounter(PROBLEMS_COUNTER, reason);
      if (counter != null) {
        counter.increment(1);
      }
      if (problems <= MAX_LOGGED) {
        LOG.warn("{} @{}: {} {}", file, offset, reason, detail);
      }
    };
  }

  @Override
  public boolean nextKeyValue() throws IOException {
    if (done || !reader.next()) {
      done = true;
      return false;
    }
    lastOffset = reader.recordOffset();
    key.set(lastOffset);
    value.set(reader.timestampNanos(), reader.linkType(), reader.origlen(), reader.data(), reader.dataOffset(),
        reader.caplen());
    return true;
  }

  @Override
  public LongWritable getCurrentKey() {
    return key;
  }

  @Override
  public PacketWritable getCurrentValue() {
    return value;
  }

  /** Position within the split; for a compressed file offsets are decompressed, so it is clamped to 1. */
  @Override
  public float getProgress() {
    if (done) {
      return 1f;
    }
    if (length <= 0) {
      return 0f;
    }
    return (float) Math.min(1.0, Math.max(0.0, (lastOffset - start) / (double) length));
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
    }
  }
}
