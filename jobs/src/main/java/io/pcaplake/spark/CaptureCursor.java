package io.pcaplake.spark;

import io.pcaplake.capture.CaptureReader;
import io.pcaplake.capture.CaptureStats;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.ProblemSink;
import io.pcaplake.capture.SplitState;
import io.pcaplake.hadoop.HadoopByteSource;
import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.packet.PacketDecoder;
import java.io.Closeable;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks the records of a partition's splits, one split after the other, never failing on a bad file: an I/O error
 * while opening or reading a split is reported as {@code capture.io_error} to that file's sink, and the cursor moves
 * on to the next split. A runtime exception from the reader (a bug, never expected) is reported as
 * {@code capture.reader_failure} and also moves on: one odd file must not fail a job over a whole archive. Each split
 * gets a fresh {@link PacketDecoder} (its fragment table must not mix files); with {@link #deferFragments()} those
 * decoders leave IP fragments to a decoder that sees the whole file.
 */
final class CaptureCursor implements Closeable {
  static final String IO_ERROR = "capture.io_error";
  /** A reader bug (an exception other than I/O) on this split: logged with its stack trace, the split is dropped. */
  static final String READER_FAILURE = "capture.reader_failure";
  private static final Logger LOG = LoggerFactory.getLogger(CaptureCursor.class);

  private final Iterator<CaptureSplit> splits;
  private final Configuration conf;
  private final Function<String, ProblemSink> sinks;
  private CaptureSplit split;
  private CaptureReader reader;
  private PacketDecoder decoder;
  private ProblemSink sink;
  private DecodedPacket decoded;
  private BiConsumer<String, CaptureStats> readerDone = (file, stats) -> { };
  private boolean deferFragments;

  /** @param sinks gives the problem sink for a file name (called once per split) */
  CaptureCursor(List<CaptureSplit> splits, Configuration conf, Function<String, ProblemSink> sinks) {
    this.splits = splits.iterator();
    this.conf = conf;
    this.sinks = sinks;
  }

  /** Called with a split's file and its reader's final counters when the reader is closed (for accounting). */
  CaptureCursor onReaderDone(BiConsumer<String, CaptureStats> listener) {
    this.readerDone = listener;
    return this;
  }

  /** Fragments are not reassembled here ({@link PacketDecoder#deferFragments()}). */
  CaptureCursor deferFragments() {
    this.deferFragments = true;
    return this;
  }

  /** Moves to the next record of this or a following split; false when all splits are done. */
  boolean advance() {
    decoded = null;
    while (true) {
      if (reader == null && !openNext()) {
        return false;
      }
      try {
        if (reader.next()) {
          return true;
        }
      } catch (IOException e) {
        ioError(e);
      } catch (RuntimeException e) {
        readerFailure(e);
      }
      closeReader();
    }
  }

  /** The current split's file (the {@code capture_file} value). */
  String file() {
    return split.path();
  }

  CaptureReader record() {
    return reader;
  }

  /** Decodes the current record, once; problems go to the file's sink. */
  DecodedPacket decoded() {
    if (decoded == null) {
      decoded = decoder.decode(reader.data(), reader.dataOffset(), reader.caplen(), reader.origlen(),
          reader.linkType(), reader.fcsLength(), reader.timestampNanos(), reader.recordOffset(), sink);
    }
    return decoded;
  }

  private boolean openNext() {
    while (splits.hasNext()) {
      split = splits.next();
      sink = sinks.apply(split.path());
      decoder = new PacketDecoder();
      if (deferFragments) {
        decoder.deferFragments();
      }
      try {
        HadoopByteSource source = HadoopByteSource.of(new Path(split.path()), conf).withLength(split.fileLength());
        SplitState state = split.state() == null ? null : SplitState.decode(split.state());
        reader = Captures.openSplit(source, split.start(), split.end(), state, sink);
        return true;
      } catch (IOException e) {
        ioError(e);
      } catch (RuntimeException e) {
        readerFailure(e);
      }
    }
    return false;
  }

  private void ioError(IOException e) {
    LOG.warn("{} [{}, {}): {}", split.path(), split.start(), split.end(), e.toString());
    long offset = reader == null ? split.start() : safeOffset();
    sink.report(IO_ERROR, offset, e.toString());
  }

  private void readerFailure(RuntimeException e) {
    LOG.error("{} [{}, {}): capture reader failed", split.path(), split.start(), split.end(), e);
    sink.report(READER_FAILURE, reader == null ? split.start() : safeOffset(), e.toString());
  }

  private long safeOffset() {
    try {
      return reader.recordOffset();
    } catch (RuntimeException e) {
      return split.start();
    }
  }

  private void closeReader() {
    if (reader != null) {
      readerDone.accept(split.path(), reader.stats());
      try {
        reader.close();
      } catch (IOException e) {
        LOG.warn("closing {}: {}", split.path(), e.toString());
      }
      reader = null;
    }
  }

  @Override
  public void close() {
    closeReader();
  }
}
