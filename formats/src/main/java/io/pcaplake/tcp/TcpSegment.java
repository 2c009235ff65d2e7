package io.pcaplake.tcp;

import io.pcaplake.packet.DecodedPacket;

/**
 * One TCP segment of a connection key, as a reusable flyweight: set it, pass it to
 * {@link TcpReassembler#accept}, set it again. The reassembler copies payload bytes only when it must hold them
 * (out of order), so the payload array may be reused after {@code accept} returns.
 *
 * <p>Endpoint A of a key is the smaller endpoint in the canonical order (address bytes compared unsigned, then the
 * port; see {@link #isFromA}); {@code fromA} says the segment was sent by A.
 */
public final class TcpSegment {
  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int PSH = 0x08;
  public static final int ACK = 0x10;

  private static final byte[] EMPTY = new byte[0];

  long ts;
  boolean fromA;
  long seq;
  long ack;
  int flags;
  int window;
  int windowScale = -1;
  byte[] payload = EMPTY;
  int payloadOffset;
  int payloadLength;
  int wireLength;
  int captureFile = -1;
  long recordOffset = -1;

  /**
   * Sets every field.
   *
   * @param ts capture time, ns
   * @param fromA sent by endpoint A of the key
   * @param seq sequence number, unsigned 32 bit
   * @param ack acknowledgment number, unsigned 32 bit (read only when {@code flags} has ACK)
   * @param flags TCP flag bits (FIN=1 SYN=2 RST=4 PSH=8 ACK=0x10 ...)
   * @param window the raw window field
   * @param payload array holding the captured payload (may be null when {@code payloadLength} is 0)
   * @param payloadOffset start of the payload in {@code payload}
   * @param payloadLength captured payload bytes
   * @param wireLength payload bytes the segment carried on the wire; more than {@code payloadLength} when the
   *     record was cut by the snaplen (values below {@code payloadLength} are raised to it)
   * @param captureFile capture file id, for anomalies
   * @param recordOffset record offset in that file, for anomalies
   */
  public TcpSegment set(long ts, boolean fromA, long seq, long ack, int flags, int window, byte[] payload,
                        int payloadOffset, int payloadLength, int wireLength, int captureFile, long recordOffset) {
    this.ts = ts;
    this.fromA = fromA;
    this.seq = seq & 0xffffffffL;
    this.ack = ack & 0xffffffffL;
    this.flags = flags;
    this.window = window;
    this.windowScale = -1;
    this.payload = payload == null ? EMPTY : payload;
    this.payloadOffset = payloadOffset;
    this.payloadLength = Math.max(0, payloadLength);
    this.wireLength = Math.max(this.payloadLength, wireLength);
    this.captureFile = captureFile;
    this.recordOffset = recordOffset;
    return this;
  }

  /** The window-scale option (SYN only), or -1; {@link #set} clears it. */
  public TcpSegment windowScale(int shift) {
    this.windowScale = shift;
    return this;
  }

  /**
   * Sets the segment from a decoded TCP packet ({@link DecodedPacket#isTcp()}), computing {@code fromA} by the
   * canonical endpoint order. The payload is not copied: it stays valid while the packet's buffer does.
   */
  public TcpSegment set(DecodedPacket p, long ts, int captureFile, long recordOffset) {
    set(ts, isFromA(p), p.tcpSeq(), p.tcpAck(), p.tcpFlags(), p.tcpWindow(), p.buffer(),
        Math.max(0, p.payloadOffset()), p.payloadLength(), p.payloadWireLength(), captureFile, recordOffset);
    return windowScale(p.tcpWindowScale());
  }

  /** True when the packet's source is endpoint A: (source address, source port) sorts first. */
  public static boolean isFromA(DecodedPacket p) {
    byte[] b = p.buffer();
    int n = p.ipAddressLength();
    int s = p.srcIpOffset();
    int d = p.dstIpOffset();
    for (int i = 0; i < n; i++) {
      int c = Integer.compare(b[s + i] & 0xff, b[d + i] & 0xff);
      if (c != 0) {
        return c < 0;
      }
    }
    return p.srcPort() <= p.dstPort();
  }

  public long ts() { return ts; }
  public boolean fromA() { return fromA; }
  public long seq() { return seq; }
  public long ack() { return ack; }
  public int flags() { return flags; }
  public int window() { return window; }
  public int windowScale() { return windowScale; }
  public byte[] payload() { return payload; }
  public int payloadOffset() { return payloadOffset; }
  public int payloadLength() { return payloadLength; }
  public int wireLength() { return wireLength; }
  public int captureFile() { return captureFile; }
  public long recordOffset() { return recordOffset; }

  boolean has(int flag) {
    return (flags & flag) != 0;
  }
}
