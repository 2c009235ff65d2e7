package io.pcaplake.local;

import io.pcaplake.packet.RecordAccount;

import io.pcaplake.capture.CaptureReader;
import io.pcaplake.flow.FlowKey;
import io.pcaplake.flow.FlowSegment;
import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.tcp.TcpSegment;
import java.util.ArrayList;

/**
 * A batch of decoded TCP segments handed from the read/decode side to the reassembly side: fields in parallel
 * arrays, payloads copied into one arena (the decoder's buffers are reused by the next record), plus the events met
 * between segments (capture/packet problems, files done), each placed before the segment index it preceded.
 * Batches are recycled; nothing per segment is allocated but its key.
 */
final class SegmentBatch {
  static final int MAX_SEGMENTS = 4096;
  static final int ARENA_BYTES = 4 << 20;

  /**
   * A capture input read to its end: the reader's records returned and counted bad, the file's record account
   * ({@code docs/accounting.md}) and its first and last record times (ns, null without records).
   */
  record FileDone(String file, long records, long badRecords, RecordAccount account, Long firstTsNs,
                  Long lastTsNs) { }

  int size;
  final FlowKey[] key = new FlowKey[MAX_SEGMENTS];
  final boolean[] fromA = new boolean[MAX_SEGMENTS];
  final long[] ts = new long[MAX_SEGMENTS];
  final int[] file = new int[MAX_SEGMENTS];
  final long[] offset = new long[MAX_SEGMENTS];
  final long[] seq = new long[MAX_SEGMENTS];
  final long[] ack = new long[MAX_SEGMENTS];
  final int[] flags = new int[MAX_SEGMENTS];
  final int[] window = new int[MAX_SEGMENTS];
  final int[] wscale = new int[MAX_SEGMENTS];
  final int[] payOff = new int[MAX_SEGMENTS];
  final int[] payLen = new int[MAX_SEGMENTS];
  final int[] wireLen = new int[MAX_SEGMENTS];
  final int[] frameLen = new int[MAX_SEGMENTS];
  final int[] capLen = new int[MAX_SEGMENTS];
  final long[] srcMac = new long[MAX_SEGMENTS];
  final long[] dstMac = new long[MAX_SEGMENTS];
  final byte[] arena = new byte[ARENA_BYTES];
  int arenaUsed;
  /** Events in order; {@link #eventAt} holds the segment index each goes before. */
  final ArrayList<Object> events = new ArrayList<>();
  int[] eventAt = new int[64];
  boolean last;
  Throwable error;
  long records;

  void clear() {
    java.util.Arrays.fill(key, 0, size, null);
    size = 0;
    arenaUsed = 0;
    events.clear();
    last = false;
    error = null;
    records = 0;
  }

  /** No room for another segment of the largest payload. */
  boolean full() {
    return size == MAX_SEGMENTS || arenaUsed > ARENA_BYTES - 65_536;
  }

  void event(Object e) {
    if (events.size() == eventAt.length) {
      eventAt = java.util.Arrays.copyOf(eventAt, eventAt.length * 2);
    }
    eventAt[events.size()] = size;
    events.add(e);
  }

  void add(FlowKey k, DecodedPacket p, CaptureReader r, int fileId) {
    int i = size++;
    key[i] = k;
    fromA[i] = TcpSegment.isFromA(p);
    ts[i] = r.timestampNanos();
    file[i] = fileId;
    offset[i] = r.recordOffset();
    seq[i] = p.tcpSeq();
    ack[i] = p.tcpAck();
    flags[i] = p.tcpFlags();
    window[i] = p.tcpWindow();
    wscale[i] = p.tcpWindowScale();
    int len = Math.min(p.payloadLength(), 65_536);
    System.arraycopy(p.buffer(), Math.max(0, p.payloadOffset()), arena, arenaUsed, len);
    payOff[i] = arenaUsed;
    payLen[i] = len;
    arenaUsed += len;
    wireLen[i] = p.payloadWireLength();
    frameLen[i] = r.origlen();
    capLen[i] = r.caplen();
    srcMac[i] = p.srcMac();
    dstMac[i] = p.dstMac();
  }

  FlowSegment load(int i, FlowSegment s) {
    return s.key(key[i]).tcp(fromA[i], ts[i], seq[i], ack[i], flags[i], window[i], wscale[i])
        .payload(arena, payOff[i], payLen[i], wireLen[i])
        .record(file[i], offset[i], frameLen[i], capLen[i])
        .macs(srcMac[i], dstMac[i]);
  }
}
