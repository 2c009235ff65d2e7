package io.pcaplake.flow;

import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.tcp.TcpLimits;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The public door of the flow package: turns TCP segments, grouped by connection key and sorted within each key by
 * (capture time, capture file, record offset), into {@code flows} rows ({@link ConnectionRecord}, with report.xml
 * statistics per direction) and {@code anomalies} rows, through a {@link FlowOutput}. One instance per task (a
 * Spark partition); it runs one {@link io.pcaplake.tcp.TcpReassembler} per key and ends a key's connections as
 * soon as the next key starts, so memory is bounded by one key's reassembly state.
 *
 * <p>Not thread-safe. Call {@link #finish()} at the end of the input.
 */
public final class FlowAssembler {
  private final KeyFlow.Context ctx;
  private KeyFlow flow;

  /**
   * @param limits reassembly limits
   * @param captureFileNames capture file id (as passed in {@link FlowSegment#record}) to file name; used for the
   *     {@code capture_files} and {@code capture_file} columns
   * @param out receives connections and anomalies
   */
  public FlowAssembler(TcpLimits limits, IntFunction<String> captureFileNames, FlowOutput out) {
    this.ctx = new KeyFlow.Context(Objects.requireNonNull(limits, "limits"),
        Objects.requireNonNull(captureFileNames, "captureFileNames"), Objects.requireNonNull(out, "out"));
  }

  /** Plugs a consumer of the reassembled streams (the HTTP stage); null for none. Set before the first segment. */
  public FlowAssembler streams(StreamSink.Factory factory) {
    ctx.streams = factory;
    return this;
  }

  /**
   * Feeds the next segment. Segments of one key must be contiguous and in (ts, capture file, record offset) order;
   * a segment with a different key ends the previous key's connections.
   */
  public void accept(FlowSegment s) {
    if (s.key != null) {
      if (flow == null || !s.key.equals(flow.key)) {
        startKey(s.key, null);
      }
    } else if (s.encodedKey != null) {
      if (flow == null || !Arrays.equals(s.encodedKey, flow.encodedKey)) {
        startKey(FlowKey.decode(s.encodedKey), s.encodedKey.clone());
      }
    } else {
      throw new IllegalArgumentException("segment without a key");
    }
    flow.accept(s);
  }

  /** Convenience for tests and the local engine: one decoded TCP packet and its record. */
  public void accept(FlowSegment reuse, DecodedPacket p, long ts, int captureFile, long recordOffset, int frameLength,
                     int capturedLength) {
    accept(reuse.set(p, null, ts, captureFile, recordOffset, frameLength, capturedLength));
  }

  /** Ends the open key (flushes its held data and emits its last connection). Idempotent. */
  public void finish() {
    if (flow != null) {
      flow.finish();
      flow = null;
    }
  }

  /**
   * Name of the capture file of the segment being processed (or the last one processed), null before the first;
   * for stream consumers that need the file of the packet that completed something.
   */
  public String currentCaptureFile() {
    return ctx.currentCaptureFile();
  }

  /** Connections emitted so far. */
  public long connections() {
    return ctx.connections;
  }

  /** Segments accepted so far. */
  public long packets() {
    return ctx.packets;
  }

  /** Keys seen so far. */
  public long keys() {
    return ctx.keys;
  }

  private void startKey(FlowKey k, byte[] encoded) {
    finish();
    flow = new KeyFlow(ctx, k, encoded, 0);
  }
}
