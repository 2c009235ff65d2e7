package io.pcaplake.flow;

import io.pcaplake.tcp.ConnectionInfo;
import io.pcaplake.tcp.FlowSummary;
import io.pcaplake.tcp.TcpDirection;
import io.pcaplake.tcp.TcpListener;
import io.pcaplake.tcp.TcpReassembler;
import io.pcaplake.tcp.TcpSegment;
import java.util.function.IntFunction;

/**
 * The reassembly state of one connection key: its {@link TcpReassembler}, the per-connection counters it does not
 * keep ({@link ConnectionStats}) and the stream sink of the open connection. The unit both {@link FlowAssembler}
 * (one key at a time, key-sorted input) and {@link FlowTable} (many keys, capture-order input) run.
 */
final class KeyFlow implements TcpListener {
  /** What the keys of one assembler or table share: limits, outputs, counters, the segment being processed. */
  static final class Context {
    final io.pcaplake.tcp.TcpLimits limits;
    final IntFunction<String> captureFileNames;
    final FlowOutput out;
    StreamSink.Factory streams;
    final TcpSegment segment = new TcpSegment();
    long connections;
    long packets;
    long keys;

    Context(io.pcaplake.tcp.TcpLimits limits, IntFunction<String> captureFileNames, FlowOutput out) {
      this.limits = limits;
      this.captureFileNames = captureFileNames;
      this.out = out;
    }

    String fileName(int id) {
      return id < 0 ? null : captureFileNames.apply(id);
    }

    String currentCaptureFile() {
      return packets == 0 ? null : fileName(segment.captureFile());
    }
  }

  final FlowKey key;
  final byte[] encodedKey;
  private final Context ctx;
  private final TcpReassembler reassembler;
  private ConnectionStats current = new ConnectionStats();
  private ConnectionStats spare;

  /** @param firstConnectionIndex index of the key's first connection here (0 unless the key was seen before) */
  KeyFlow(Context ctx, FlowKey key, byte[] encodedKey, int firstConnectionIndex) {
    this.ctx = ctx;
    this.key = key;
    this.encodedKey = encodedKey != null ? encodedKey : key.encode();
    this.reassembler = new TcpReassembler(key.portA(), key.portB(), ctx.limits, this)
        .firstConnectionIndex(firstConnectionIndex);
    current.reset();
    ctx.keys++;
  }

  /** Feeds one segment of this key, in capture order. */
  void accept(FlowSegment s) {
    ctx.packets++;
    ctx.segment.set(s.ts, s.fromA, s.seq, s.ack, s.flags, s.window, s.payload, s.payloadOffset, s.payloadLength,
        s.payloadWireLength, s.captureFile, s.recordOffset).windowScale(s.windowScale);
    reassembler.accept(ctx.segment);
    // After accept: a SYN that started a new connection has already ended the previous one, so the packet counts
    // towards the connection it now belongs to.
    current.count(s);
  }

  /** Ends the key: flushes held data and emits its open connection. Idempotent. */
  void finish() {
    reassembler.finish();
  }

  /** The index the key's next connection would get. */
  int nextConnectionIndex() {
    return reassembler.connectionCount();
  }

  /** The open connection is over (RST, or FIN both ways). */
  boolean isClosed() {
    return reassembler.isClosed();
  }

  /** Capture time of the open connection's last packet, or -1 when none is open. */
  long lastTs() {
    return reassembler.lastTs();
  }

  @Override
  public void connectionStart(ConnectionInfo info) {
    current.info = info;
    current.flowId = FlowId.of(key, info.startTs(), info.connectionIndex());
    current.sink = ctx.streams == null ? null : ctx.streams.open(current.flowId, key, info);
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
    ctx.out.anomaly(new AnomalyRecord(ctx.fileName(captureFile), recordOffset < 0 ? null : recordOffset,
        current.flowId, ts, "tcp", reason, detail));
  }

  @Override
  public void connectionEnd(FlowSummary summary) {
    ConnectionStats c = current;
    ConnectionRecord r = c.record(key, summary, ctx::fileName);
    if (c.sink != null) {
      c.sink.close(r);
    }
    ctx.connections++;
    ctx.out.summary(r, summary);
    ctx.out.connection(r);
    current = spare != null ? spare : new ConnectionStats();
    spare = c;
    current.reset();
  }
}
