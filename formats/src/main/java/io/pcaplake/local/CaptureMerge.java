package io.pcaplake.local;

import io.pcaplake.capture.CaptureReader;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.ProblemSink;
import io.pcaplake.filter.CaptureFilter;
import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.FlowKey;
import io.pcaplake.packet.DecodeStatus;
import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.packet.PacketDecoder;
import io.pcaplake.packet.RecordAccount;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The read side of the local engine: reads every input with {@link Captures}, merges their records in capture-time
 * order (timestamp, then input order, then record offset: a k-way merge of the files' heads, so a connection spanning
 * rotated files arrives whole and in order), decodes each with the file's own {@link PacketDecoder} (its fragment
 * table must not mix files, as in the Spark engine), keeps the TCP segments the filter keeps (connection semantics)
 * and fills {@link SegmentBatch}es. Problems become anomaly rows ({@code flow_id} null), with the record's time when
 * raised while decoding it. An I/O error or a reader failure ends that input with {@code capture.io_error} /
 * {@code capture.reader_failure}; the others go on.
 */
final class CaptureMerge implements Closeable {
  static final String IO_ERROR = "capture.io_error";
  static final String READER_FAILURE = "capture.reader_failure";

  private final List<CaptureInput> inputs;
  private final CaptureFilter filter;
  private final Source[] sources;
  private final PriorityQueue<Source> heads = new PriorityQueue<>(CaptureMerge::compare);
  private SegmentBatch batch;
  private Source advance;
  private boolean opened;
  private long records;

  /** One input being read. */
  private final class Source implements ProblemSink {
    final int id;
    final String name;
    CaptureReader reader;
    final PacketDecoder decoder = new PacketDecoder();
    final RecordAccount account = new RecordAccount();
    long minTs = Long.MAX_VALUE;
    long maxTs = Long.MIN_VALUE;
    Long decodingTs;
    long ts;
    long offset;

    Source(int id, String name) {
      this.id = id;
      this.name = name;
    }

    @Override
    public void report(String reason, long at, String detail) {
      batch.event(new AnomalyRecord(name, at < 0 ? null : at, null, decodingTs, AnomalyRecord.layerOf(reason), reason, detail));
    }

    /** Moves to the next record; false (and closed) at the end or on an error. */
    boolean next() {
      try {
        if (reader.next()) {
          ts = reader.timestampNanos();
          offset = reader.recordOffset();
          return true;
        }
      } catch (IOException e) {
        report(IO_ERROR, safeOffset(), e.toString());
      } catch (RuntimeException e) {
        report(READER_FAILURE, safeOffset(), e.toString());
      }
      close();
      return false;
    }

    private long safeOffset() {
      try {
        return reader.recordOffset();
      } catch (RuntimeException e) {
        return -1;
      }
    }

    void close() {
      if (reader == null) {
        return;
      }
      account.reader(reader.stats());
      // Datagrams still waiting for fragments at the end of the file: reported once, without a record time.
      decoder.flush(this);
      batch.event(new SegmentBatch.FileDone(name, reader.stats().recordsOk(), reader.stats().recordsBad(), account,
          minTs <= maxTs ? minTs : null, minTs <= maxTs ? maxTs : null));
      try {
        reader.close();
      } catch (IOException e) {
        report(IO_ERROR, -1, "closing: " + e);
      }
      reader = null;
    }
  }

  CaptureMerge(List<CaptureInput> inputs, CaptureFilter filter) {
    this.inputs = List.copyOf(inputs);
    this.filter = filter == null || filter.matchesAll() ? null : filter;
    this.sources = new Source[inputs.size()];
    for (int i = 0; i < sources.length; i++) {
      sources[i] = new Source(i, inputs.get(i).name());
    }
  }

  String fileName(int id) {
    return sources[id].name;
  }

  long records() {
    return records;
  }

  /** Fills {@code b} (cleared first) up to its size; sets {@link SegmentBatch#last} when the input is done. */
  void fill(SegmentBatch b) {
    fill(new SegmentBatch[] {b});
  }

  /**
   * Fills one batch per shard (each cleared first), a segment going to the shard of its key's hash, until one is full
   * or the input ends ({@link SegmentBatch#last} set on all). Events (problems, files done) go to shard 0's batch.
   */
  void fill(SegmentBatch[] shards) {
    for (SegmentBatch s : shards) {
      s.clear();
    }
    SegmentBatch b = shards[0];
    batch = b;
    int mask = shards.length - 1;
    if (!opened) {
      opened = true;
      for (Source s : sources) {
        open(s);
      }
    }
    SegmentBatch target = b;
    while (!target.full()) {
      Source s = nextRecord();
      if (s == null) {
        for (SegmentBatch x : shards) {
          x.last = true;
        }
        break;
      }
      records++;
      b.records++;
      CaptureReader r = s.reader;
      s.decodingTs = r.timestampNanos();
      DecodedPacket p = s.decoder.decode(r.data(), r.dataOffset(), r.caplen(), r.origlen(), r.linkType(),
          r.fcsLength(), r.timestampNanos(), r.recordOffset(), s);
      s.decodingTs = null;
      s.account.decoded(p);
      s.minTs = Math.min(s.minTs, r.timestampNanos());
      s.maxTs = Math.max(s.maxTs, r.timestampNanos());
      if (p.status() == DecodeStatus.OK && p.isTcp() && (filter == null || filter.matchesEitherDirection(p))) {
        FlowKey key = FlowKey.of(p);
        int h = key.hashCode();
        target = shards[(h ^ (h >>> 16)) & mask];
        target.add(key, p, r, s.id);
      }
    }
  }

  private void open(Source s) {
    try {
      s.reader = Captures.open(inputs.get(s.id).source(), s);
    } catch (IOException e) {
      s.report(IO_ERROR, 0, e.toString());
      return;
    } catch (RuntimeException e) {
      s.report(READER_FAILURE, 0, e.toString());
      return;
    }
    if (s.next()) {
      heads.add(s);
    }
  }

  /** The source holding the next record in merge order, positioned on it; null when all are done. */
  private Source nextRecord() {
    if (advance != null) {
      Source a = advance;
      advance = null;
      if (a.next()) {
        if (heads.isEmpty() || compare(a, heads.peek()) <= 0) {
          advance = a;  // still first: skip the queue (the common case, and the only one with one input)
          return a;
        }
        heads.add(a);
      }
    }
    Source s = heads.poll();
    advance = s;
    return s;
  }

  private static int compare(Source x, Source y) {
    int c = Long.compare(x.ts, y.ts);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(x.id, y.id);
    return c != 0 ? c : Long.compare(x.offset, y.offset);
  }


  @Override
  public void close() {
    for (Source s : sources) {
      if (s.reader != null) {
        try {
          s.reader.close();
        } catch (IOException e) {
          // closing after a failure elsewhere: nothing more to report
        }
        s.reader = null;
      }
    }
  }
}
