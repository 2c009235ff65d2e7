package io.pcaplake.tcp;

import io.pcaplake.synth.Frames;
import io.pcaplake.synth.IpHeader;
import io.pcaplake.synth.Link;
import io.pcaplake.synth.LinkTypes;
import io.pcaplake.synth.SynthPacket;
import io.pcaplake.synth.TcpHeader;
import io.pcaplake.synth.TcpOptions;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Hand-stated packets of one 5-tuple, for flag-level cases the conversation builder does not script. */
final class Raw {
  static final int F = TcpHeader.FIN;
  static final int S = TcpHeader.SYN;
  static final int R = TcpHeader.RST;
  static final int P = TcpHeader.PSH;
  static final int A = TcpHeader.ACK;

  final List<SynthPacket> packets = new ArrayList<>();
  private final InetAddress client;
  private final InetAddress server;
  private final int cport;
  private final int sport;
  private long clock = 1_700_000_000_000_000_000L;

  Raw(InetAddress client, int cport, InetAddress server, int sport) {
    this.client = client;
    this.server = server;
    this.cport = cport;
    this.sport = sport;
  }

  static Raw standard() {
    return new Raw(Feed.CLIENT, Feed.CPORT, Feed.SERVER, Feed.SPORT);
  }

  /** A client packet. */
  Raw c(long seq, long ack, int flags, byte[] payload) {
    return add(true, seq, ack, flags, payload);
  }

  Raw c(long seq, long ack, int flags) {
    return add(true, seq, ack, flags, new byte[0]);
  }

  /** A server packet. */
  Raw s(long seq, long ack, int flags, byte[] payload) {
    return add(false, seq, ack, flags, payload);
  }

  Raw s(long seq, long ack, int flags) {
    return add(false, seq, ack, flags, new byte[0]);
  }

  Raw idle(long nanos) {
    clock += nanos;
    return this;
  }

  Raw add(boolean fromClient, long seq, long ack, int flags, byte[] payload) {
    IpHeader ip = fromClient ? IpHeader.between(client, server) : IpHeader.between(server, client);
    TcpHeader th = new TcpHeader(fromClient ? cport : sport, fromClient ? sport : cport, seq & 0xffffffffL,
        ack & 0xffffffffL, flags, 65535, TcpOptions.NONE);
    Link link = Link.of(LinkTypes.ETHERNET);
    byte[] frame = Frames.tcpFrame(fromClient ? link : link.reversed(), ip, th, payload);
    packets.add(SynthPacket.of(clock, LinkTypes.ETHERNET, frame));
    clock += 1_000_000;
    return this;
  }

  Recorder run() {
    return Feed.run(packets);
  }

  Recorder run(TcpLimits limits) {
    return Feed.run(packets, limits);
  }
}
