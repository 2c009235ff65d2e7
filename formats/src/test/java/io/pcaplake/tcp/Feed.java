package io.pcaplake.tcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.capture.ProblemSink;
import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.packet.PacketDecoder;
import io.pcaplake.synth.ConnectionTruth;
import io.pcaplake.synth.Side;
import io.pcaplake.synth.StreamGap;
import io.pcaplake.synth.SynthPacket;
import io.pcaplake.synth.TcpConversation;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Test pipeline: synthesized frames -> PacketDecoder -> TcpSegment -> TcpReassembler -> Recorder. */
final class Feed {
  static final InetAddress CLIENT = addr("10.0.3.7");
  static final InetAddress SERVER = addr("10.0.0.10");
  static final int CPORT = 40001;
  static final int SPORT = 8000;

  private Feed() { }

  static InetAddress addr(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  static TcpConversation.Builder conv() {
    return TcpConversation.between(CLIENT, CPORT, SERVER, SPORT);
  }

  static Recorder run(List<SynthPacket> packets) {
    return run(packets, TcpLimits.DEFAULTS);
  }

  /** Decodes every packet and feeds one reassembler (one key), then finishes it. */
  static Recorder run(List<SynthPacket> packets, TcpLimits limits) {
    Recorder r = new Recorder();
    PacketDecoder decoder = new PacketDecoder();
    TcpSegment seg = new TcpSegment();
    TcpReassembler re = null;
    long record = 0;
    for (SynthPacket p : packets) {
      DecodedPacket d = decoder.decode(p.frame(), 0, p.frame().length, p.origlen(), p.linkType(), p.tsNanos(),
          record, ProblemSink.IGNORE);
      assertTrue(d.isTcp(), "packet " + record + " decodes as TCP");
      seg.set(d, p.tsNanos(), 7, record);
      if (re == null) {
        boolean a = TcpSegment.isFromA(d);
        re = new TcpReassembler(a ? d.srcPort() : d.dstPort(), a ? d.dstPort() : d.srcPort(), limits, r);
      }
      re.accept(seg);
      record++;
    }
    if (re != null) {
      re.finish();
    }
    return r;
  }

  /** What a first-wins reassembler must deliver for {@code side}: the truth minus the capture's gaps. */
  static byte[] expectedBytes(ConnectionTruth t, Side side) {
    byte[] all = t.bytes(side);
    boolean[] missing = new boolean[all.length];
    for (StreamGap g : t.gaps()) {
      if (g.side() == side) {
        for (int i = 0; i < g.length(); i++) {
          missing[(int) g.offset() + i] = true;
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < all.length; i++) {
      if (!missing[i]) {
        out.write(all[i]);
      }
    }
    return out.toByteArray();
  }

  /** The truth's gaps for {@code side}, adjacent ones merged. */
  static List<Recorder.Gap> expectedGaps(ConnectionTruth t, Side side) {
    List<Recorder.Gap> out = new ArrayList<>();
    t.gaps().stream().filter(g -> g.side() == side).sorted((x, y) -> Long.compare(x.offset(), y.offset()))
        .forEach(g -> {
          if (!out.isEmpty() && out.get(out.size() - 1).offset() + out.get(out.size() - 1).length() == g.offset()) {
            Recorder.Gap last = out.remove(out.size() - 1);
            out.add(new Recorder.Gap(last.offset(), last.length() + g.length()));
          } else {
            out.add(new Recorder.Gap(g.offset(), g.length()));
          }
        });
    return out;
  }

  static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  /** Segment sizes of {@code size} bytes each (the last one shorter) for {@code n} bytes. */
  static int[] chunks(int n, int size) {
    int k = (n + size - 1) / size;
    int[] s = new int[k];
    for (int i = 0; i < k; i++) {
      s[i] = Math.min(size, n - i * size);
    }
    return s;
  }
}
