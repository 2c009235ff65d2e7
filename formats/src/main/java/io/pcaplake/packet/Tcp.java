package io.pcaplake.packet;

import static io.pcaplake.packet.Bytes.u16;
import static io.pcaplake.packet.Bytes.u32;
import static io.pcaplake.packet.Bytes.u8;

import io.pcaplake.capture.ProblemSink;

/** TCP header (RFC 9293) with the options the reassembler and flow table use: MSS, window scale, SACK-permitted, timestamps. */
final class Tcp {
  static final int PROTOCOL = 6;
  static final int MIN_HEADER = 20;
  static final int FLAG_NS = 0x100;

  static final int OPT_END = 0;
  static final int OPT_NOP = 1;
  static final int OPT_MSS = 2;
  static final int OPT_WINDOW_SCALE = 3;
  static final int OPT_SACK_PERMITTED = 4;
  static final int OPT_TIMESTAMPS = 8;

  private Tcp() { }

  /** Decodes the TCP header at {@code p.transportOffset}; the IP layer set {@code l4End} and {@code l4WireLength}. */
  static DecodeStatus decode(byte[] b, DecodedPacket p, ProblemSink problems, long recordOffset) {
    int t = p.transportOffset;
    int end = p.l4End;
    int wire = p.l4WireLength;
    int captured = end - t;
    if (captured >= 4) {
      p.srcPort = u16(b, t);
      p.dstPort = u16(b, t + 2);
    }
    if (wire < MIN_HEADER) {
      problems.report(PacketReasons.TCP_HEADER_PAST_END, recordOffset,
          "IP payload of " + wire + " bytes cannot hold a TCP header");
      return DecodeStatus.MALFORMED;
    }
    if (captured < MIN_HEADER) {
      return DecodeStatus.TRUNCATED;
    }
    p.tcpSeq = u32(b, t + 4);
    p.tcpAck = u32(b, t + 8);
    int dataOffset = (u8(b, t + 12) >>> 4) * 4;
    p.tcpFlags = (u8(b, t + 12) & 0x01) << 8 | u8(b, t + 13);
    p.tcpWindow = u16(b, t + 14);
    if (dataOffset < MIN_HEADER) {
      problems.report(PacketReasons.TCP_BAD_DATA_OFFSET, recordOffset, "data offset " + dataOffset / 4);
      return DecodeStatus.MALFORMED;
    }
    if (dataOffset > wire) {
      problems.report(PacketReasons.TCP_HEADER_PAST_END, recordOffset,
          "data offset " + dataOffset + " bytes > IP payload of " + wire);
      return DecodeStatus.MALFORMED;
    }
    p.payloadWireLength = wire - dataOffset;
    if (captured < dataOffset) {
      return DecodeStatus.TRUNCATED;
    }
    options(b, t + MIN_HEADER, t + dataOffset, p, problems, recordOffset);
    p.payloadOffset = t + dataOffset;
    p.payloadLength = end - p.payloadOffset;
    return DecodeStatus.OK;
  }

  private static void options(byte[] b, int pos, int end, DecodedPacket p, ProblemSink problems, long recordOffset) {
    while (pos < end) {
      int kind = u8(b, pos);
      if (kind == OPT_END) {
        return;
      }
      if (kind == OPT_NOP) {
        pos++;
        continue;
      }
      if (end - pos < 2 || u8(b, pos + 1) < 2 || u8(b, pos + 1) > end - pos) {
        problems.report(PacketReasons.TCP_BAD_OPTION, recordOffset, "option kind " + kind + " has a bad length");
        return;
      }
      int length = u8(b, pos + 1);
      switch (kind) {
        case OPT_MSS:
          if (length == 4) {
            p.tcpMss = u16(b, pos + 2);
          }
          break;
        case OPT_WINDOW_SCALE:
          if (length == 3) {
            p.tcpWindowScale = u8(b, pos + 2);
          }
          break;
        case OPT_SACK_PERMITTED:
          p.tcpSackPermitted = length == 2;
          break;
        case OPT_TIMESTAMPS:
          if (length == 10) {
            p.tcpTsVal = u32(b, pos + 2);
            p.tcpTsEcr = u32(b, pos + 6);
          }
          break;
        default:
          break; // SACK blocks, MD5, TFO, MPTCP...: skipped by length
      }
      pos += length;
    }
  }
}
