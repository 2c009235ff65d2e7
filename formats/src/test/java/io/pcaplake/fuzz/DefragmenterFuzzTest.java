package io.pcaplake.fuzz;

import static io.pcaplake.fuzz.FuzzSupport.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pcaplake.packet.DecodeStatus;
import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.packet.DecoderLimits;
import io.pcaplake.packet.PacketDecoder;
import io.pcaplake.packet.PacketReasons;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * IP defragmentation (IPv4 and the IPv6 Fragment header) through {@link PacketDecoder}, against a model. The input
 * chooses small limits, then 1-4 original datagrams (version, source, id and protocol from small sets so that keys
 * collide, payload length up to 65535, fragment boundaries), then up to 96 ops: send a fragment of a datagram (any
 * order, any number of times, or never), the same widened backwards to overlap its neighbours with the same or with
 * altered bytes, an altered copy, a wrong last fragment (MF=0 before the end), each after a capture-time step that
 * may cross the timeout.
 *
 * <p>The model is an independent byte-wise reassembler (first-arrived bytes win, a {@link BitSet} of covered
 * offsets) that follows the datagrams the decoder reports ending. Properties:
 * <ul>
 *   <li>a datagram completes exactly when the model says all its bytes, its first fragment and its end are in; the
 *       reassembled payload equals the model's bytes, and equals the <b>original</b> byte for byte when the instance
 *       got only unaltered fragments of one datagram; the header's length and fragment fields are patched;</li>
 *   <li>{@code packet.fragment_overlap} is reported exactly when a fragment brings bytes differing from held ones,
 *       and the first-arrived bytes are kept;</li>
 *   <li>every datagram started ends exactly one way: completed, {@code packet.fragment_incomplete} (timeout,
 *       eviction, buffer budget, or {@code flush}), or {@code packet.fragment_too_large} at assembly; datagrams in
 *       flight equal the model's live ones after every packet;</li>
 *   <li>datagrams in flight and bytes held within the limits after every packet; nothing held after {@code flush};
 *       bounded time per input.</li>
 * </ul>
 */
class DefragmenterFuzzTest {
  private static final int LINKTYPE_IPV4 = 228;
  private static final int LINKTYPE_IPV6 = 229;
  private static final int[] PROTOCOLS = {6, 17, 50};

  /** One original datagram: its key fields, payload and fragment boundaries (multiples of 8). */
  record Original(int version, int source, long id, int protocol, byte[] payload, int[] cuts) {
    int pieces() {
      return cuts.length - 1;
    }

    String key() {
      return "IPv" + version + " " + address(version, source) + " > " + address(version, 9) + " id " + id + " proto "
          + protocol;
    }
  }

  /** The model of one datagram in the decoder's table. */
  static final class Instance {
    final String key;
    final long firstTs;
    byte[] data = new byte[0];
    final BitSet covered = new BitSet();
    int total = -1;
    boolean header;
    boolean pure = true;
    int from = -1;

    Instance(String key, long firstTs) {
      this.key = key;
      this.firstTs = firstTs;
    }
  }

  @FuzzTest(maxDuration = "2m")
  void fuzz(byte[] input) throws ReflectiveOperationException {
    FuzzSupport.In in = new FuzzSupport.In(input);
    int maxDatagrams = 1 + in.u8() % 8;
    int maxDatagramBytes = 1 + in.u16() % DecoderLimits.MAX_IP_DATAGRAM;
    long maxTotal = maxDatagramBytes + (long) in.u16() * 64;
    long timeout = (1 + in.u8()) * 100_000_000L;
    PacketDecoder decoder = new PacketDecoder(new DecoderLimits(maxDatagrams, maxDatagramBytes, maxTotal, timeout));
    DefragProbe defrag = new DefragProbe(decoder);

    Original[] originals = new Original[1 + in.u8() % 4];
    for (int i = 0; i < originals.length; i++) {
      originals[i] = original(in);
    }
    List<String[]> events = new ArrayList<>();
    Map<String, Instance> live = new HashMap<>();
    int[] ends = new int[4]; // created, completed, incomplete, too large at assembly
    long ts = CaptureBuilder.BASE_SECONDS * 1_000_000_000L;
    long t0 = System.nanoTime();
    for (int n = 0; n < 96 && in.more(); n++) {
      int op = in.u8();
      Original o = originals[(op & 3) % originals.length];
      int kind = (op >>> 2) & 7;
      int piece = in.u8() % o.pieces();
      ts += (op & 0x80) != 0 ? in.u8() * 10_000_000L : in.u8() * 100_000L;
      if (kind == 7) {
        ts += timeout + 1;
        continue;
      }
      int start = o.cuts[piece];
      int end = o.cuts[piece + 1];
      boolean more = end < o.payload.length;
      boolean altered = kind == 4 || kind == 5;
      boolean bogus = false;
      if (kind == 3 || kind == 4) {
        start = Math.max(0, start - 8 * (1 + in.u8() % 8));
      }
      if (kind == 6 && more && end > start) {
        more = false; // a last fragment before the end: the datagram's end is contradicted
        bogus = true;
      } else if (kind == 6) {
        altered = true;
      }
      byte[] data = Arrays.copyOfRange(o.payload, start, end);
      if (altered) {
        int mask = 1 + in.u8() % 255;
        for (int i = 0; i < data.length; i += 1 + i % 5) {
          data[i] ^= (byte) mask;
        }
      }
      byte[] packet = o.version == 4 ? ipv4(o, start, more, data) : ipv6(o, start, more, data);
      events.clear();
      DecodedPacket p = decoder.decode(packet, 0, packet.length, packet.length,
          o.version == 4 ? LINKTYPE_IPV4 : LINKTYPE_IPV6, 0, ts, n,
          (reason, offset, detail) -> events.add(new String[] {reason, detail}));
      String what = "packet " + n + " (" + o.key() + " [" + start + ", " + (start + data.length) + ")"
          + (more ? " MF" : "") + (altered ? " altered" : "") + "): ";
      if (start == 0 && !more) {
        // A whole datagram, no fragment: timeouts run on fragment arrivals only, so it touches no datagram.
        check(!p.fragment(), what + "offset 0 without MF is no fragment");
        for (String[] e : events) {
          check(!e[0].startsWith("packet.fragment"), what + "unexpected " + e[0] + ": " + e[1]);
        }
      } else {
        check(p.fragment(), what + "not seen as a fragment");
        model(o, (op & 3) % originals.length, start, more, data, altered || bogus, ts, p, events, live, ends,
            maxDatagramBytes, timeout, what);
        for (Map.Entry<String, Instance> e : live.entrySet()) {
          check(ts - e.getValue().firstTs <= timeout, what + e.getKey() + " outlived its timeout at a fragment");
        }
      }
      int inFlight = defrag.inFlight();
      long held = defrag.bytesHeld();
      check(inFlight == live.size(), what + inFlight + " datagrams in flight, the model has " + live.keySet());
      check(inFlight <= maxDatagrams, what + inFlight + " datagrams in flight > " + maxDatagrams);
      check(held >= 0 && held <= maxTotal, what + held + " fragment bytes held > " + maxTotal);
    }
    events.clear();
    decoder.flush((reason, offset, detail) -> events.add(new String[] {reason, detail}));
    for (String[] e : events) {
      check(e[0].equals(PacketReasons.FRAGMENT_INCOMPLETE) && e[1].endsWith("still incomplete at end of input"),
          "flush reported " + e[0] + ": " + e[1]);
      check(live.remove(keyOf(e[1])) != null, "flush reported a datagram the model does not hold: " + e[1]);
      ends[2]++;
    }
    check(live.isEmpty(), "datagrams not reported by flush: " + live.keySet());
    check(defrag.inFlight() == 0, "datagrams left after flush");
    check(defrag.bytesHeld() == 0, "bytes left after flush");
    check(ends[0] == ends[1] + ends[2] + ends[3], "datagrams started " + ends[0] + " != completed " + ends[1]
        + " + incomplete " + ends[2] + " + too large " + ends[3]);
    long took = System.nanoTime() - t0;
    check(took < FuzzSupport.TIME_BUDGET_NANOS, "defragmenting took " + took / 1_000_000 + " ms");
  }

  /** Follows one fragment through the model; checks the decoder's reports and result against it. */
  private static void model(Original o, int index, int start, boolean more, byte[] data, boolean impure, long ts,
                            DecodedPacket p, List<String[]> events, Map<String, Instance> live, int[] ends,
                            int maxDatagramBytes, long timeout, String what) {
    String key = o.key();
    int end = start + data.length;
    boolean tooLarge = false;
    boolean inconsistent = false;
    boolean selfDropped = false;
    boolean overlap = false;
    boolean assemblyTooLarge = false;
    for (String[] e : events) {
      String reason = e[0];
      String k = keyOf(e[1]);
      if (reason.equals(PacketReasons.FRAGMENT_INCOMPLETE)) {
        if (k.equals(key) && e[1].contains("dropped: fragment buffers")) {
          selfDropped = true;
          if (live.remove(key) == null) {
            ends[0]++; // created and dropped by this very fragment
          }
        } else {
          Instance gone = live.remove(k);
          check(gone != null, what + "reported incomplete, not in the model: " + e[1]);
          check(!e[1].contains("timed out") || ts - gone.firstTs > timeout, what + "timed out too early: " + e[1]);
        }
        ends[2]++;
      } else if (reason.equals(PacketReasons.FRAGMENT_TOO_LARGE) && e[1].contains("reassembled length")) {
        check(k.equals(key) && live.containsKey(key), what + e[1]);
        assemblyTooLarge = true;
      } else if (reason.equals(PacketReasons.FRAGMENT_TOO_LARGE)) {
        check(k.equals(key), what + e[1]);
        tooLarge = true;
      } else if (reason.equals(PacketReasons.FRAGMENT_INCONSISTENT_LENGTH)) {
        check(k.equals(key) && live.containsKey(key), what + e[1]);
        inconsistent = true;
      } else if (reason.equals(PacketReasons.FRAGMENT_OVERLAP)) {
        check(k.equals(key), what + e[1]);
        overlap = true;
      } else {
        // A completed datagram is decoded on: its TCP/UDP header may be bad (the payload is the fuzzer's).
        check(reason.startsWith("packet.") && !reason.startsWith("packet.fragment") && !reason.startsWith("packet.ip"),
            what + "unexpected " + reason + ": " + e[1]);
      }
    }
    check(tooLarge == end > maxDatagramBytes, what + "fragment_too_large iff it ends past " + maxDatagramBytes);
    if (tooLarge) {
      check(!p.reassembled() && p.status() == DecodeStatus.FRAGMENT, what + "a dropped fragment completed");
      return;
    }
    Instance d = live.get(key);
    if (d == null && !selfDropped) {
      d = new Instance(key, ts);
      live.put(key, d);
      ends[0]++;
    }
    boolean expectInconsistent = false;
    boolean conflict = false;
    if (d != null && !selfDropped) {
      int maxEnd = d.covered.length();
      if (!more) {
        if (d.total < 0 && maxEnd <= end) {
          d.total = end;
        } else if (d.total != end) {
          expectInconsistent = true;
        }
      } else if (d.total >= 0 && end > d.total) {
        expectInconsistent = true;
      }
      check(inconsistent == expectInconsistent, what + "fragment_inconsistent_length " + inconsistent
          + ", the model says " + expectInconsistent + " (end " + end + ", total " + d.total + ", max end "
          + maxEnd + ")");
      if (!expectInconsistent) {
        d.header |= start == 0;
        d.pure &= !impure && (d.from < 0 || d.from == index);
        d.from = index;
        if (d.data.length < end) {
          d.data = Arrays.copyOf(d.data, Math.max(end, d.data.length * 2));
        }
        for (int i = 0; i < data.length; i++) {
          if (d.covered.get(start + i)) {
            conflict |= d.data[start + i] != data[i];
          } else {
            d.data[start + i] = data[i];
            d.covered.set(start + i);
          }
        }
      }
    }
    check(overlap == conflict, what + "fragment_overlap reported " + overlap + ", the model says " + conflict);
    boolean complete = d != null && !expectInconsistent && !selfDropped && d.total >= 0 && d.header
        && d.covered.nextClearBit(0) >= d.total;
    boolean unfit = complete && o.version == 4 && 20 + d.total > DecoderLimits.MAX_IP_DATAGRAM;
    check(assemblyTooLarge == unfit, what + "fragment_too_large at assembly " + assemblyTooLarge
        + ", the model says " + unfit);
    for (Instance x : live.values()) {
      check(ts - x.firstTs <= timeout, what + x.key + " outlived the timeout");
    }
    if (unfit) {
      check(!p.reassembled(), what + "reassembled although too large");
      live.remove(key);
      ends[3]++;
      return;
    }
    check(p.reassembled() == complete, what + "reassembled " + p.reassembled() + ", the model says " + complete);
    if (!complete) {
      check(p.status() == DecodeStatus.FRAGMENT, what + "status " + p.status());
      return;
    }
    live.remove(key);
    ends[1]++;
    byte[] b = p.buffer();
    int hl = o.version == 4 ? 20 : 40;
    check(b.length >= hl + d.total, what + "reassembled buffer too short");
    check(Arrays.equals(b, hl, hl + d.total, d.data, 0, d.total), what + "reassembled bytes differ from the first"
        + " arrived ones");
    if (d.pure) {
      check(d.total == o.payload.length && Arrays.equals(b, hl, hl + d.total, o.payload, 0, d.total),
          what + "reassembled datagram differs from the original");
    }
    if (o.version == 4) {
      check(((b[2] & 0xff) << 8 | (b[3] & 0xff)) == hl + d.total, what + "IPv4 total length not patched");
      check((b[6] & 0x3f) == 0 && b[7] == 0, what + "IPv4 MF/offset not cleared");
      check((b[9] & 0xff) == o.protocol, what + "protocol");
    } else {
      check(((b[4] & 0xff) << 8 | (b[5] & 0xff)) == d.total, what + "IPv6 payload length not patched");
      check((b[6] & 0xff) == o.protocol, what + "IPv6 next header not unlinked from the fragment header");
    }
  }

  private static String keyOf(String detail) {
    int colon = detail.indexOf(": ");
    return colon < 0 ? detail : detail.substring(0, colon);
  }

  static Original original(FuzzSupport.In in) {
    int f = in.u8();
    int version = (f & 1) != 0 ? 6 : 4;
    int source = 1 + ((f >>> 1) & 1);
    long id = (f >>> 2) % 3;
    int protocol = PROTOCOLS[(f >>> 4) % PROTOCOLS.length];
    boolean big = (f & 0x80) != 0;
    int length = big ? in.u16() : in.u8() * 4;
    if (version == 6) {
      length = Math.min(length, DecoderLimits.MAX_IP_DATAGRAM - 8);
    }
    byte[] payload = new byte[length];
    int seed = in.u8();
    for (int i = 0; i < length; i++) {
      payload[i] = (byte) (seed * 31 + i * 7 + (i >>> 8));
    }
    int unit = big ? 256 : 8;
    List<Integer> cuts = new ArrayList<>(List.of(0));
    int at = 0;
    while (at < length && cuts.size() < 64) {
      at = Math.min(length, at + unit * (1 + in.u8() % 32));
      if (at < length) {
        at -= at % 8;
      }
      cuts.add(at);
    }
    if (at < length) {
      cuts.add(length);
    }
    if (cuts.size() == 1) {
      cuts.add(0);
    }
    return new Original(version, source, id, protocol, payload, cuts.stream().mapToInt(Integer::intValue).toArray());
  }

  static byte[] ipv4(Original o, int start, boolean more, byte[] data) {
    byte[] b = new byte[20 + data.length];
    b[0] = 0x45;
    put16(b, 2, b.length);
    put16(b, 4, (int) o.id);
    put16(b, 6, (more ? 0x2000 : 0) | start / 8);
    b[8] = 64;
    b[9] = (byte) o.protocol;
    System.arraycopy(addressBytes(4, o.source), 0, b, 12, 4);
    System.arraycopy(addressBytes(4, 9), 0, b, 16, 4);
    System.arraycopy(data, 0, b, 20, data.length);
    return b;
  }

  static byte[] ipv6(Original o, int start, boolean more, byte[] data) {
    byte[] b = new byte[48 + data.length];
    b[0] = 0x60;
    put16(b, 4, 8 + data.length);
    b[6] = 44;
    b[7] = 64;
    System.arraycopy(addressBytes(6, o.source), 0, b, 8, 16);
    System.arraycopy(addressBytes(6, 9), 0, b, 24, 16);
    b[40] = (byte) o.protocol;
    put16(b, 42, start | (more ? 1 : 0));
    put16(b, 44, (int) (o.id >>> 16));
    put16(b, 46, (int) o.id);
    System.arraycopy(data, 0, b, 48, data.length);
    return b;
  }

  private static void put16(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  private static byte[] addressBytes(int version, int last) {
    byte[] a = new byte[version == 4 ? 4 : 16];
    a[0] = version == 4 ? (byte) 10 : (byte) 0xfd;
    a[a.length - 1] = (byte) last;
    return a;
  }

  private static String address(int version, int last) {
    try {
      return InetAddress.getByAddress(addressBytes(version, last)).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
