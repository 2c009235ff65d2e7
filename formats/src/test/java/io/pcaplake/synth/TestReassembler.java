package io.pcaplake.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.pcap4j.packet.TcpPacket;

/**
 * A first-wins TCP reassembler for tests, independent of the synthesizer: connections split at each client SYN,
 * ISN from the SYN or (mid-stream) from the first segment seen, offsets modulo 2^32.
 */
final class TestReassembler {
  /** One direction: stream offset to byte, first write wins; also how many packets tried to rewrite a byte. */
  static final class Direction {
    final TreeMap<Long, Byte> bytes = new TreeMap<>();
    Long isn;
    int rewrites;
    boolean fin;
    boolean rst;

    void segment(long seq, byte[] data) {
      if (isn == null) {
        isn = (seq - 1) & 0xffffffffL;
      }
      long start = (seq - isn - 1) & 0xffffffffL;
      for (int i = 0; i < data.length; i++) {
        if (bytes.putIfAbsent(start + i, data[i]) != null) {
          rewrites++;
        }
      }
    }

    /** Contiguous bytes from offset 0 up to the first hole. */
    byte[] contiguous() {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      long next = 0;
      for (var e : bytes.entrySet()) {
        if (e.getKey() != next) {
          break;
        }
        out.write(e.getValue());
        next++;
      }
      return out.toByteArray();
    }

    /** All bytes up to the highest offset, holes as the given fill byte. */
    byte[] withHoles(byte fill) {
      if (bytes.isEmpty()) {
        return new byte[0];
      }
      byte[] out = new byte[(int) (bytes.lastKey() + 1)];
      java.util.Arrays.fill(out, fill);
      bytes.forEach((k, v) -> out[(int) (long) k] = v);
      return out;
    }
  }

  static final class Connection {
    final Direction client = new Direction();
    final Direction server = new Direction();
    boolean syn;
    int packets;
  }

  /** Reassembles packets of one 5-tuple whose client uses {@code clientPort}. */
  static List<Connection> reassemble(List<SynthPacket> packets, int clientPort) {
    List<Connection> out = new ArrayList<>();
    Connection c = null;
    for (SynthPacket p : packets) {
      TcpPacket tcp = Oracle.checkedTcp(p);
      TcpPacket.TcpHeader h = tcp.getHeader();
      boolean fromClient = h.getSrcPort().valueAsInt() == clientPort;
      long seq = h.getSequenceNumberAsLong();
      if (h.getSyn() && !h.getAck()) {
        c = new Connection();
        c.syn = true;
        c.client.isn = seq;
        out.add(c);
      } else if (c == null) {
        c = new Connection();
        out.add(c);
      }
      c.packets++;
      Direction d = fromClient ? c.client : c.server;
      if (h.getSyn()) {
        d.isn = seq;
      }
      byte[] data = tcp.getPayload() == null ? new byte[0] : tcp.getPayload().getRawData();
      if (data.length > 0) {
        d.segment(seq, data);
      }
      d.fin |= h.getFin();
      d.rst |= h.getRst();
    }
    return out;
  }
}
