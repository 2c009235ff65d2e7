package io.pcaplake.flow;

import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.tcp.ConnectionInfo;
import io.pcaplake.tcp.FlowSummary;
import io.pcaplake.tcp.TcpDirection;
import io.pcaplake.tcp.TcpLimits;
import io.pcaplake.tcp.TcpListener;
import io.pcaplake.tcp.TcpReassembler;
import io.pcaplake.tcp.TcpSegment;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The public door of the flow package: turns TCP segments, grouped by connection key and sorted within each key by
 * (capture time, capture file, record offset), into {@code flows} rows ({@link ConnectionRecord}, with report.xml
 * statistics per direction) and {@code anomalies} rows, through a {@link FlowOutput}. One instance per task (a
 * Spark partition, or the local engine); it runs one {@link TcpReassembler} per key and ends a key's connections as
 * soon as the next key starts, so memory is bounded by one key's reassembly state.
 *
 * <p>Not thread-safe. Call {@link #finish()} at the end of the input.
 */
public final class FlowAssembler {
  private final TcpLimits limits;
  private final IntFunction<String> captureFileNames;
  private final FlowOutput out;
  private StreamSink.Factory streams;

  private final TcpSegment segment = new TcpSegment();
  private final Listener listener = new Listener();
  private FlowKey key;
  private byte[] encodedKey;
  private TcpReassembler reassembler;
  private long connections;
  private long packets;
  private long keys;

  /**
   * @param limits reassembly limits
   * @param captureFileNames capture file id (as passed in {@link FlowSegment#record}) to file name; used for the
   *     {@code capture_files} and {@code capture_file} columns
   * @param out receives connections and anomalies
   */
  public FlowAssembler(TcpLimits limits, IntFunction<String> captureFileNames, FlowOutput out) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.captureFileNames = Objects.requireNonNull(captureFileNames, "captureFileNames");
    this.out = Objects.requireNonNull(out, "out");
  }

  /** Plugs a consumer of the reassembled streams (the HTTP stage); null for none. Set before the first segment. */
  public FlowAssembler streams(StreamSink.Factory factory) {
    this.streams = factory;
    return this;
  }

  /**
   * Feeds the next segment. Segments of one key must be contiguous and in (ts, capture file, record offset) order;
   * a segment with a different key ends the previous key's connections.
   */
  public void accept(FlowSegment s) {
    if (s.key != null) {
      if (key == null || !s.key.equals(key)) {
        startKey(s.key, null);
      }
    } else if (s.encodedKey != null) {
      if (encodedKey == null || !Arrays.equals(s.encodedKey, encodedKey)) {
        startKey(FlowKey.decode(s.encodedKey), s.encodedKey.clone());
      }
    } else {
      throw new IllegalArgumentException("segment without a key");
    }
    packets++;
    segment.set(s.ts, s.fromA, s.seq, s.ack, s.flags, s.window, s.payload, s.payloadOffset, s.payloadLength,
        s.payloadWireLength, s.captureFile, s.recordOffset).windowScale(s.windowScale);
    reassembler.accept(segment);
    // After accept: a SYN that started a new connection has already ended the previous one, so the packet counts
    // towards the connection it now belongs to.
    listener.current.count(s);
  }

  /** Convenience for tests and the local engine: one decoded TCP packet and its record. */
  public void accept(FlowSegment reuse, DecodedPacket p, long ts, int captureFile, long recordOffset, int frameLength,
                     int capturedLength) {
    accept(reuse.set(p, null, ts, captureFile, recordOffset, frameLength, capturedLength));
  }

  /** Ends the open key (flushes its held data and emits its last connection). Idempotent. */
  public void finish() {
    if (reassembler != null) {
      reassembler.finish();
      reassembler = null;
    }
    key = null;
    encodedKey = null;
  }

  /**
   * Name of the capture file of the segment being processed (or the last one processed), null before the first;
   * for stream consumers that need the file of the packet that completed something.
   */
  public String currentCaptureFile() {
    return packets == 0 ? null : fileName(segment.captureFile());
  }

  /** Connections emitted so far. */
  public long connections() {
    return connections;
  }

  /** Segments accepted so far. */
  public long packets() {
    return packets;
  }

  /** Keys seen so far. */
  public long keys() {
    return keys;
  }

  private void startKey(FlowKey k, byte[] encoded) {
    finish();
    key = k;
    encodedKey = encoded != null ? encoded : k.encode();
    keys++;
    listener.current.reset();
    reassembler = new TcpReassembler(k.portA(), k.portB(), limits, listener);
  }

  private String fileName(int id) {
    return id < 0 ? null : captureFileNames.apply(id);
  }

  /** Receives the reassembler's callbacks for the open key. */
  private final class Listener implements TcpListener {
    ConnectionStats current = new ConnectionStats();
    private ConnectionStats spare = new ConnectionStats();

    @Override
    public void connectionStart(ConnectionInfo info) {
      current.info = info;
      current.flowId = FlowId.of(key, info.startTs(), info.connectionIndex());
      current.sink = streams == null ? null : streams.open(current.flowId, key, info);
    }

    @Override
    public void deliver(TcpDirection direction, byte[] b, int off, int len, long streamOffset, long ts) {
      current.side(direction).delivered(streamOffset + len);
      if (current.sink != null) {
        current.sink.deliver(direction, b, off, len, streamOffset, ts);
      }
    }

    @Override
    public void gap(TcpDirection direction, long streamOffset, long missingBytes) {
      current.side(direction).gap = true;
      if (current.sink != null) {
        current.sink.gap(direction, streamOffset, missingBytes);
      }
    }

    @Override
    public void anomaly(String reason, String detail, long ts, int captureFile, long recordOffset) {
      out.anomaly(new AnomalyRecord(fileName(captureFile), recordOffset < 0 ? null : recordOffset, current.flowId,
          ts, "tcp", reason, detail));
    }

    @Override
    public void connectionEnd(FlowSummary summary) {
      ConnectionStats c = current;
      ConnectionRecord r = c.record(key, summary, FlowAssembler.this::fileName);
      if (c.sink != null) {
        c.sink.close(r);
      }
      connections++;
      out.summary(r, summary);
      out.connection(r);
      current = spare;
      spare = c;
      current.reset();
    }
  }
}
