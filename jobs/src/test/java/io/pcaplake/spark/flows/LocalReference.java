package io.pcaplake.spark.flows;

import io.pcaplake.capture.CaptureReader;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.FileByteSource;
import io.pcaplake.capture.ProblemSink;
import io.pcaplake.filter.CaptureFilter;
import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.flow.FlowAssembler;
import io.pcaplake.flow.FlowKey;
import io.pcaplake.flow.FlowOutput;
import io.pcaplake.flow.FlowSegment;
import io.pcaplake.packet.DecodeStatus;
import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.packet.PacketDecoder;
import io.pcaplake.tcp.TcpLimits;
import io.pcaplake.tcp.TcpSegment;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The reference the Spark job must equal: flowcore's test-only local runner ({@code formats} test
 * {@code io.pcaplake.flow.LocalFlows}, package-private there, so mirrored here line for line) plus the filter with
 * connection semantics. Whole captures in memory, segments sorted by (encoded key, ts, file id, record offset) with
 * file ids in name order (the job sorts by the {@code capture_file} string), one {@link FlowAssembler}.
 */
final class LocalReference {
  record Seg(byte[] key, boolean fromA, long ts, int file, long offset, long seq, long ack, int flags, int window,
             int wscale, byte[] payload, int wireLen, int frameLen, int caplen, long srcMac, long dstMac) { }

  record Result(List<ConnectionRecord> connections, List<AnomalyRecord> anomalies) { }

  private LocalReference() { }

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

  /** @param names capture file names as the job lists them ({@code file:/...}), in sorted order */
  static Result run(List<String> names, CaptureFilter filter) throws IOException {
    List<String> sorted = names.stream().sorted().toList();
    List<Seg> all = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      all.addAll(segments(Path.of(URI.create(sorted.get(i))), i, filter));
    }
    all.sort(ORDER);
    List<ConnectionRecord> conns = new ArrayList<>();
    List<AnomalyRecord> anomalies = new ArrayList<>();
    FlowAssembler fa = new FlowAssembler(TcpLimits.DEFAULTS, sorted::get, new FlowOutput() {
      @Override
      public void connection(ConnectionRecord c) {
        conns.add(c);
      }

      @Override
      public void anomaly(AnomalyRecord a) {
        anomalies.add(a);
      }
    });
    FlowSegment s = new FlowSegment();
    for (Seg g : all) {
      fa.accept(s.encodedKey(g.key).tcp(g.fromA, g.ts, g.seq, g.ack, g.flags, g.window, g.wscale)
          .payload(g.payload, 0, g.payload.length, g.wireLen).record(g.file, g.offset, g.frameLen, g.caplen)
          .macs(g.srcMac, g.dstMac));
    }
    fa.finish();
    return new Result(conns, anomalies);
  }

  private static List<Seg> segments(Path file, int fileId, CaptureFilter filter) throws IOException {
    List<Seg> out = new ArrayList<>();
    PacketDecoder decoder = new PacketDecoder();
    try (CaptureReader r = Captures.open(new FileByteSource(file), ProblemSink.IGNORE)) {
      while (r.next()) {
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
    } catch (IOException e) {
      // A corrupt file: keep what was read before the error (the job reports it as an anomaly and moves on).
    }
    return out;
  }
}
