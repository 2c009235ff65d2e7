package io.pcaplake.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pcaplake.capture.ByteSource;
import io.pcaplake.capture.CaptureReader;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.ProblemSink;
import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.packet.DecodeStatus;
import io.pcaplake.packet.PacketDecoder;
import io.pcaplake.packet.RecordAccount;
import io.pcaplake.tcp.DirectionStats;
import io.pcaplake.tcp.FlowSummary;
import io.pcaplake.tcp.TcpLimits;
import io.pcaplake.tcp.TcpSegment;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test helper: the accounting of one capture at the formats level ({@code docs/accounting.md}), through the same
 * pieces as {@link LocalFlows} (reader, decoder, key sort, {@link FlowAssembler}), keeping what the identities need.
 */
public final class Accounting {
  /**
   * @param records the file's record account
   * @param payloadFed payload wire bytes of the TCP segments given to the assembler
   * @param summaries every connection's reassembler counters
   * @param problems reason code -> count, reader, decoder and reassembler together
   */
  public record FileAccount(RecordAccount records, long payloadFed, List<FlowSummary> summaries,
                            Map<String, Long> problems) {
    public long sum(java.util.function.ToLongFunction<DirectionStats> f) {
      return summaries.stream().mapToLong(s -> f.applyAsLong(s.client()) + f.applyAsLong(s.server())).sum();
    }

    public long problems(String reason) {
      return problems.getOrDefault(reason, 0L);
    }

    /** Asserts both identities; {@code what} names the input in messages. */
    public void assertBalanced(String what) {
      assertEquals(0, records.unaccounted(), what + ": records " + records);
      for (FlowSummary s : summaries) {
        assertEquals(0, s.client().unaccountedBytes(), what + ": client " + s.client());
        assertEquals(0, s.server().unaccountedBytes(), what + ": server " + s.server());
      }
      assertEquals(payloadFed, sum(DirectionStats::payloadSeen), what + ": payload fed vs seen by the reassembler");
    }
  }

  private Accounting() { }

  public static FileAccount of(ByteSource source) throws IOException {
    Map<String, Long> problems = new TreeMap<>();
    ProblemSink sink = (reason, offset, detail) -> problems.merge(reason, 1L, Long::sum);
    RecordAccount account = new RecordAccount();
    List<LocalFlows.Seg> segs = new ArrayList<>();
    PacketDecoder decoder = new PacketDecoder();
    try (CaptureReader r = Captures.open(source, sink)) {
      while (r.next()) {
        DecodedPacket p = decoder.decode(r.data(), r.dataOffset(), r.caplen(), r.origlen(), r.linkType(),
            r.fcsLength(), r.timestampNanos(), r.recordOffset(), sink);
        account.decoded(p);
        if (p.status() != DecodeStatus.OK || !p.isTcp()) {
          continue;
        }
        int off = Math.max(0, p.payloadOffset());
        byte[] payload = Arrays.copyOfRange(p.buffer(), off, off + p.payloadLength());
        segs.add(new LocalFlows.Seg(FlowKey.of(p).encode(), TcpSegment.isFromA(p), r.timestampNanos(), 0,
            r.recordOffset(), p.tcpSeq(), p.tcpAck(), p.tcpFlags(), p.tcpWindow(), p.tcpWindowScale(), payload,
            p.payloadWireLength(), r.origlen(), r.caplen(), p.srcMac(), p.dstMac()));
      }
      decoder.flush(sink);
      account.reader(r.stats());
    }
    segs.sort(LocalFlows.ORDER);
    List<FlowSummary> summaries = new ArrayList<>();
    FlowAssembler fa = new FlowAssembler(TcpLimits.DEFAULTS, i -> source.name(), new FlowOutput() {
      @Override
      public void connection(ConnectionRecord c) { }

      @Override
      public void anomaly(AnomalyRecord a) {
        problems.merge(a.reason(), 1L, Long::sum);
      }

      @Override
      public void summary(ConnectionRecord c, FlowSummary s) {
        summaries.add(s);
      }
    });
    FlowSegment s = new FlowSegment();
    long fed = 0;
    for (LocalFlows.Seg g : segs) {
      fed += Math.max(g.wireLen(), g.payload().length);
      fa.accept(s.encodedKey(g.key()).tcp(g.fromA(), g.ts(), g.seq(), g.ack(), g.flags(), g.window(), g.wscale())
          .payload(g.payload(), 0, g.payload().length, g.wireLen()).record(g.file(), g.offset(), g.frameLen(),
              g.caplen()).macs(g.srcMac(), g.dstMac()));
    }
    fa.finish();
    return new FileAccount(account, fed, summaries, problems);
  }
}
