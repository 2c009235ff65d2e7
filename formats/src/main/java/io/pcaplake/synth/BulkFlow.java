package io.pcaplake.synth;

import java.net.InetAddress;

/**
 * One connection slot of {@link BulkCapture}: two precomputed frame headers (client-to-server, server-to-client)
 * patched per packet, and a small state machine handshake -> data -> FIN exchange, after which the slot starts a
 * new connection on the next client port.
 */
final class BulkFlow {
  static final int STATE_SYN = 0;
  static final int STATE_SYN_ACK = 1;
  static final int STATE_ACK = 2;
  static final int STATE_DATA = 3;
  static final int STATE_FIN_CLIENT = 4;
  static final int STATE_FIN_SERVER = 5;
  static final int STATE_LAST_ACK = 6;

  final byte[][] template = new byte[2][];
  final int ipOffset;
  final boolean v6;
  final long[] pseudoSum = new long[2];
  final InetAddress client;
  final InetAddress server;
  final Link link;
  int clientPort;
  final int serverPort;
  int state;
  int dataLeft;
  int sinceAck;
  long clientSeq;
  long serverSeq;
  int ipId;

  BulkFlow(Link link, InetAddress client, InetAddress server, int clientPort, int serverPort) {
    this.link = link;
    this.client = client;
    this.server = server;
    this.clientPort = clientPort;
    this.serverPort = serverPort;
    this.v6 = client.getAddress().length == 16;
    byte[] probe = build(0);
    this.ipOffset = probe.length - Frames.TCP_HEADER - (v6 ? Frames.IPV6_HEADER : Frames.IPV4_HEADER);
    pseudoSum[0] = Checksums.pseudoHeader(client, server, Frames.PROTO_TCP, 0);
    pseudoSum[1] = Checksums.pseudoHeader(server, client, Frames.PROTO_TCP, 0);
  }

  /** Rebuilds both templates for the current client port. */
  void rebuild() {
    template[0] = build(0);
    template[1] = build(1);
  }

  private byte[] build(int dir) {
    IpHeader ip = dir == 0 ? IpHeader.between(client, server) : IpHeader.between(server, client);
    TcpHeader th = dir == 0 ? new TcpHeader(clientPort, serverPort, 0, 0, 0, TcpHeader.DEFAULT_WINDOW, null)
        : new TcpHeader(serverPort, clientPort, 0, 0, 0, TcpHeader.DEFAULT_WINDOW, null);
    return Frames.tcpFrame(dir == 0 ? link : link.reversed(), ip, th, new byte[0]);
  }

  int headerLength() {
    return template[0].length;
  }
}
