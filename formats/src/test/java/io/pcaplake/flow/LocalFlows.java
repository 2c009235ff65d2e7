package io.pcaplake.flow;

import io.pcaplake.capture.ByteSource;
import io.pcaplake.capture.CaptureReader;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.ProblemSink;
import io.pcaplake.filter.CaptureFilter;
import io.pcaplake.packet.DecodeStatus;
import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.packet.PacketDecoder;
import io.pcaplake.tcp.TcpLimits;
import io.pcaplake.tcp.TcpSegment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Test-only local engine, the reference the Spark flows job must equal (jobs' tests use it through the formats
 * test-jar): reads whole captures in memory, decodes, keeps TCP segments (those of connections the filter keeps, when
 * one is given), sorts them as the Spark job does (encoded key, ts, capture file, record offset) and runs a
 * {@link FlowAssembler} over them.
 */
public final class LocalFlows {
  record Seg(byte[] key, boolean fromA, long ts, int file, long offset, long seq, long ack, int flags, int window,
             int wscale, byte[] payload, int wireLen, int frameLen, int caplen, long srcMac, long dstMac) { }

  public record Result(List<ConnectionRecord> connections, List<AnomalyRecord> anomalies, long tcpPackets,
                long records) { }

  private LocalFlows() { }

  static final Comparator<Seg> ORDER = (x, y) -> {
    int c = Arrays.compareUnsigned(x.key, y.key);
    if (c != 0) {
      return c;
    }
    c = Long.compare(x.ts, y.ts);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(x.file, y.file);
    return c != 0 ? c : Long.compare(x.offset, y.offset);
  };

  static List<Seg> segments(ByteSource source, int fileId, long[] records, CaptureFilter filter) throws IOException {
    List<Seg> out = new ArrayList<>();
    PacketDecoder decoder = new PacketDecoder();
    try (CaptureReader r = Captures.open(source, ProblemSink.IGNORE)) {
      while (r.next()) {
        records[0]++;
        DecodedPacket p = decoder.decode(r.data(), r.dataOffset(), r.caplen(), r.origlen(), r.linkType(),
            r.fcsLength(), r.timestampNanos(), r.recordOffset(), ProblemSink.IGNORE);
        if (p.status() != DecodeStatus.OK || !p.isTcp() || (filter != null && !filter.matchesEitherDirection(p))) {
          continue;
        }
        int off = Math.max(0, p.payloadOffset());
        byte[] payload = Arrays.copyOfRange(p.buffer(), off, off + p.payloadLength());
        out.add(new Seg(FlowKey.of(p).encode(), TcpSegment.isFromA(p), r.timestampNanos(), fileId,
            r.recordOffset(), p.tcpSeq(), p.tcpAck(), p.tcpFlags(), p.tcpWindow(), p.tcpWindowScale(), payload,
            p.payloadWireLength(), r.origlen(), r.caplen(), p.srcMac(), p.dstMac()));
      }
    }
    return out;
  }

  static Result run(List<String> names, List<ByteSource> sources) throws IOException {
    return run(names, sources, null);
  }

  /** @param names capture file names, in the order the job's file ids follow; {@code filter} null keeps all */
  public static Result run(List<String> names, List<ByteSource> sources, CaptureFilter filter) throws IOException {
    return run(names, sources, filter, null);
  }

  /**
   * As {@link #run(List, List, CaptureFilter)}, with {@code setup} called on the assembler before the first segment
   * (e.g. to attach a stream stage: {@code fa -> HttpStage.attach(fa, ...)}); null for none.
   */
  public static Result run(List<String> names, List<ByteSource> sources, CaptureFilter filter,
                           Consumer<FlowAssembler> setup) throws IOException {
    List<Seg> all = new ArrayList<>();
    long[] records = new long[1];
    for (int i = 0; i < sources.size(); i++) {
      all.addAll(segments(sources.get(i), i, records, filter));
    }
    all.sort(ORDER);
    return assemble(names, all, records[0], setup);
  }

  static Result assemble(List<String> names, List<Seg> sorted, long records) {
    return assemble(names, sorted, records, null);
  }

  static Result assemble(List<String> names, List<Seg> sorted, long records, Consumer<FlowAssembler> setup) {
    List<ConnectionRecord> conns = new ArrayList<>();
    List<AnomalyRecord> anomalies = new ArrayList<>();
    FlowAssembler fa = new FlowAssembler(TcpLimits.DEFAULTS, names::get, new FlowOutput() {
      @Override
      public void connection(ConnectionRecord c) {
        conns.add(c);
      }

      @Override
      public void anomaly(AnomalyRecord a) {
        anomalies.add(a);
      }
    });
    if (setup != null) {
      setup.accept(fa);
    }
    FlowSegment s = new FlowSegment();
    for (Seg g : sorted) {
      fa.accept(s.encodedKey(g.key).tcp(g.fromA, g.ts, g.seq, g.ack, g.flags, g.window, g.wscale)
          .payload(g.payload, 0, g.payload.length, g.wireLen).record(g.file, g.offset, g.frameLen, g.caplen)
          .macs(g.srcMac, g.dstMac));
    }
    fa.finish();
    return new Result(conns, anomalies, sorted.size(), records);
  }
}
