package io.pcaplake.flow;

import io.pcaplake.packet.DecodedPacket;

/**
 * One TCP segment as {@link FlowAssembler#accept} takes it: a reusable, mutable input (set it from a Spark row or a
 * decoded packet, pass it, set it again; nothing is copied unless the reassembler must hold payload out of order).
 *
 * <p>The key is given either as a {@link FlowKey} or as its {@link FlowKey#encode() encoding} (cheaper per row: the
 * assembler compares the bytes and decodes only when the key changes).
 */
public final class FlowSegment {
  private static final byte[] EMPTY = new byte[0];

  FlowKey key;
  byte[] encodedKey;
  boolean fromA;
  long ts;
  int captureFile = -1;
  long recordOffset = -1;
  long seq;
  long ack;
  int flags;
  int window;
  int windowScale = -1;
  byte[] payload = EMPTY;
  int payloadOffset;
  int payloadLength;
  int payloadWireLength;
  int frameLength;
  int capturedLength;
  long srcMac = -1;
  long dstMac = -1;

  /** The connection key (clears an encoded key). */
  public FlowSegment key(FlowKey k) {
    this.key = k;
    this.encodedKey = null;
    return this;
  }

  /** The connection key as {@link FlowKey#encode()} bytes (not copied; clears a key object). */
  public FlowSegment encodedKey(byte[] encoded) {
    this.encodedKey = encoded;
    this.key = null;
    return this;
  }

  /**
   * The segment's TCP fields.
   *
   * @param fromA sent by endpoint A of the key ({@link FlowKey#isFromA(byte[], int, byte[], int)})
   * @param ts capture time, ns
   * @param seq sequence number (unsigned 32 bit)
   * @param ack acknowledgment number
   * @param flags TCP flag bits
   * @param window raw window field
   * @param windowScale SYN window-scale option, or -1
   */
  public FlowSegment tcp(boolean fromA, long ts, long seq, long ack, int flags, int window, int windowScale) {
    this.fromA = fromA;
    this.ts = ts;
    this.seq = seq;
    this.ack = ack;
    this.flags = flags;
    this.window = window;
    this.windowScale = windowScale;
    return this;
  }

  /**
   * The captured payload and what the segment carried on the wire.
   *
   * @param wireLength payload bytes on the wire (more than {@code len} when cut by the snaplen)
   */
  public FlowSegment payload(byte[] b, int off, int len, int wireLength) {
    this.payload = b == null ? EMPTY : b;
    this.payloadOffset = off;
    this.payloadLength = len;
    this.payloadWireLength = wireLength;
    return this;
  }

  /**
   * Where the record came from and its frame sizes (report.xml's {@code len} and {@code caplen}).
   *
   * @param captureFile id of the capture file, resolved to a name by the assembler's table
   * @param recordOffset the record's offset in that file ({@code record_index})
   * @param frameLength pcap {@code len}: original frame length
   * @param capturedLength pcap {@code caplen}
   */
  public FlowSegment record(int captureFile, long recordOffset, int frameLength, int capturedLength) {
    this.captureFile = captureFile;
    this.recordOffset = recordOffset;
    this.frameLength = frameLength;
    this.capturedLength = capturedLength;
    return this;
  }

  /** Ethernet source and destination MACs (48 bits), or -1 when the link has none. */
  public FlowSegment macs(long src, long dst) {
    this.srcMac = src;
    this.dstMac = dst;
    return this;
  }

  /**
   * Sets everything from a decoded TCP packet and its record ({@code key} may be null: computed from the packet).
   * The payload is not copied.
   */
  public FlowSegment set(DecodedPacket p, FlowKey key, long ts, int captureFile, long recordOffset, int frameLength,
                         int capturedLength) {
    FlowKey k = key != null ? key : FlowKey.of(p);
    key(k);
    tcp(io.pcaplake.tcp.TcpSegment.isFromA(p), ts, p.tcpSeq(), p.tcpAck(), p.tcpFlags(), p.tcpWindow(),
        p.tcpWindowScale());
    payload(p.buffer(), Math.max(0, p.payloadOffset()), p.payloadLength(), p.payloadWireLength());
    record(captureFile, recordOffset, frameLength, capturedLength);
    return macs(p.srcMac(), p.dstMac());
  }
}
