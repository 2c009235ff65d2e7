package io.pcaplake.fuzz;

import static io.pcaplake.fuzz.FuzzSupport.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pcaplake.capture.ProblemSink;
import io.pcaplake.packet.DecodeStatus;
import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.packet.DecoderLimits;
import io.pcaplake.packet.PacketDecoder;

/**
 * The packet decoder, every supported link type plus arbitrary ones (pcap4j fallback), with IP defragmentation under
 * small fuzzer-chosen limits. Input: 5 limit bytes, then up to 64 packets, each an op byte and its fields:
 * <ul>
 *   <li>{@code op & 0x20}: an IPv4 fragment on LINKTYPE_IPV4 (id, more-fragments, offset in 8-byte units, protocol,
 *       payload from the input), so arbitrary fragment sequences reach the reassembler;</li>
 *   <li>otherwise a frame of fuzzer bytes on link type {@code SUPPORTED[op % 10]} (or a fuzzer-chosen one when
 *       {@code op & 0x80}), FCS 4 when {@code op & 0x40}, placed at an offset in a larger buffer with junk after it,
 *       possibly cut short of its origlen.</li>
 * </ul>
 * Checks per packet: no exception; status set and consistent with the fields; every offset (addresses, transport,
 * payload) inside the record's captured region (or the reassembled datagram); payload never into the FCS; the
 * defragmenter within its datagram count and byte limits; bounded time per input.
 */
class PacketDecoderFuzzTest {
  static final int[] SUPPORTED = {0, 1, 12, 14, 101, 108, 113, 228, 229, 276};

  @FuzzTest(maxDuration = "2m")
  void fuzz(byte[] data) throws ReflectiveOperationException {
    FuzzSupport.In in = new FuzzSupport.In(data);
    int maxDatagrams = 1 + in.u8() % 8;
    int maxDatagramBytes = 1 + in.u16() % DecoderLimits.MAX_IP_DATAGRAM;
    long maxTotal = maxDatagramBytes + (long) in.u8() * 512;
    long timeout = (1 + in.u8()) * 100_000_000L;
    DecoderLimits limits = new DecoderLimits(maxDatagrams, maxDatagramBytes, maxTotal, timeout);
    PacketDecoder decoder = new PacketDecoder(limits);
    DefragProbe defrag = new DefragProbe(decoder);
    ProblemSink sink = (reason, offset, detail) -> check(reason.startsWith("packet."), "reason " + reason);
    long ts = CaptureBuilder.BASE_SECONDS * 1_000_000_000L;
    long t0 = System.nanoTime();
    for (int n = 0; n < 64 && in.more(); n++) {
      int op = in.u8();
      ts += in.u8() * 10_000_000L;
      byte[] buf;
      int offset;
      int caplen;
      int origlen;
      int linkType;
      int fcs = 0;
      if ((op & 0x20) != 0) {
        buf = ipv4Fragment(in);
        offset = 0;
        caplen = buf.length;
        origlen = buf.length;
        linkType = 228;
      } else {
        linkType = (op & 0x80) != 0 ? in.u16() : SUPPORTED[op % SUPPORTED.length];
        fcs = (op & 0x40) != 0 ? 4 : 0;
        byte[] frame = in.bytes((op & 0x10) != 0 ? in.u16() % 1600 : in.u8());
        offset = in.u8() % 16;
        int cut = (op & 0x08) != 0 ? in.u8() : 0;
        caplen = Math.max(0, frame.length - cut);
        origlen = frame.length + ((op & 0x04) != 0 ? in.u8() : 0);
        buf = new byte[offset + frame.length + 32];
        System.arraycopy(frame, 0, buf, offset, frame.length);
        java.util.Arrays.fill(buf, offset + caplen, buf.length, (byte) 0x45); // junk that parses as IPv4 if read
      }
      DecodedPacket p = decoder.decode(buf, offset, caplen, origlen, linkType, fcs, ts, n, sink);
      checkPacket(p, buf, offset, caplen, origlen, fcs);
      int inFlight = defrag.inFlight();
      long held = defrag.bytesHeld();
      check(inFlight <= maxDatagrams, inFlight + " datagrams in flight > " + maxDatagrams);
      check(held >= 0 && held <= maxTotal, held + " fragment bytes held > " + maxTotal);
    }
    decoder.flush(sink);
    check(defrag.inFlight() == 0, "datagrams left after flush");
    check(defrag.bytesHeld() == 0, "bytes left after flush");
    long took = System.nanoTime() - t0;
    check(took < FuzzSupport.TIME_BUDGET_NANOS, "decoding took " + took / 1_000_000 + " ms");
  }

  static void checkPacket(DecodedPacket p, byte[] data, int offset, int caplen, int origlen, int fcs) {
    DecodeStatus s = p.status();
    check(s != null, "no status");
    byte[] b = p.buffer();
    check(b != null, "no buffer");
    int lo;
    int hi;
    if (b == data) {
      lo = offset;
      hi = offset + Math.min(caplen, Math.max(0, Math.max(origlen, caplen) - fcs));
    } else {
      check(p.reassembled() || p.linkType() != 228, "status " + s + ": a buffer other than the record's");
      lo = 0;
      hi = b.length;
    }
    String where = "status " + s + " link " + p.linkType() + " caplen " + caplen + " origlen " + origlen + " fcs "
        + fcs + ": ";
    if (s == DecodeStatus.OK || s == DecodeStatus.FRAGMENT) {
      check(p.ipVersion() == 4 || p.ipVersion() == 6, where + "ipVersion " + p.ipVersion());
      int n = p.ipAddressLength();
      check(p.srcIpOffset() >= lo && p.srcIpOffset() + n <= hi && p.dstIpOffset() >= lo && p.dstIpOffset() + n <= hi,
          where + "addresses at " + p.srcIpOffset() + "/" + p.dstIpOffset() + " outside [" + lo + ", " + hi + ")");
      check(p.srcIp() != null && p.dstIp() != null, where + "address text");
      check(p.protocol() >= 0 && p.protocol() <= 255, where + "protocol " + p.protocol());
    }
    if (s == DecodeStatus.FRAGMENT) {
      check(p.fragment() && !p.reassembled(), where + "fragment flags");
    }
    if (p.reassembled()) {
      check(p.fragment(), where + "reassembled but not a fragment");
    }
    if (s == DecodeStatus.OK) {
      check(p.payloadOffset() >= lo && p.payloadLength() >= 0 && p.payloadOffset() + p.payloadLength() <= hi,
          where + "payload " + p.payloadOffset() + "+" + p.payloadLength() + " outside [" + lo + ", " + hi + ")");
      check(p.payloadWireLength() >= p.payloadLength(),
          where + "payload wire length " + p.payloadWireLength() + " < captured " + p.payloadLength());
      check(p.transportOffset() >= lo && p.transportOffset() <= p.payloadOffset(),
          where + "transport at " + p.transportOffset() + ", payload at " + p.payloadOffset());
      if (p.protocol() == 6) {
        check(p.isTcp() && p.srcPort() >= 0 && p.srcPort() <= 65535 && p.dstPort() >= 0 && p.dstPort() <= 65535,
            where + "TCP without ports");
      }
      if (p.protocol() == 17) {
        check(p.isUdp(), where + "UDP without ports");
      }
    }
  }

  /** An IPv4 fragment (a real header, checksum not checked by the decoder) with fuzzer-chosen fields. */
  static byte[] ipv4Fragment(FuzzSupport.In in) {
    int flags = in.u8();
    int id = flags & 3;
    boolean more = (flags & 4) != 0;
    int protocol = (flags & 8) != 0 ? 17 : 6;
    int fragOffset = (flags & 16) != 0 ? in.u16() & 0x1fff : in.u8() & 0x1f;
    byte[] payload = in.bytes(in.u8());
    int total = 20 + payload.length;
    byte[] b = new byte[total];
    b[0] = 0x45;
    b[2] = (byte) (total >>> 8);
    b[3] = (byte) total;
    b[4] = 0;
    b[5] = (byte) id;
    int ff = (more ? 0x2000 : 0) | fragOffset;
    b[6] = (byte) (ff >>> 8);
    b[7] = (byte) ff;
    b[8] = 64;
    b[9] = (byte) protocol;
    b[12] = 10;
    b[15] = 1;
    b[16] = 10;
    b[19] = (byte) (2 + (flags >>> 6));
    System.arraycopy(payload, 0, b, 20, payload.length);
    return b;
  }
}
