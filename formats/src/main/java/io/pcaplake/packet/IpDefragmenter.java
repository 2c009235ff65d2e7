package io.pcaplake.packet;

import io.pcaplake.capture.ProblemSink;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Reassembles IPv4 and IPv6 fragments into datagrams, keyed by (version, src, dst, id, protocol, outer VLAN).
 *
 * <p>Bounded: at most {@link DecoderLimits#maxDatagramsInFlight()} datagrams, each at most
 * {@link DecoderLimits#maxDatagramBytes()} long, and {@link DecoderLimits#maxTotalBytes()} of buffers in all; the
 * oldest datagram is evicted first. Timeouts run on capture time: a datagram whose first fragment is older than
 * {@link DecoderLimits#fragmentTimeoutNanos()} is dropped. The table is kept in arrival order of first fragments, so
 * expiry stops at the first datagram that is still young (captures whose time runs backwards expire late, never
 * wrongly early).
 *
 * <p>Overlaps keep the bytes that arrived first (the policy of most end hosts for IPv4 and what RFC 5722 leaves to the
 * receiver for IPv6 by dropping); differing bytes are reported as {@code packet.fragment_overlap}. The completed
 * datagram is a real IP packet: the header of the offset-0 fragment (IPv6: everything up to the fragment header, which
 * is removed), with length and fragment fields patched, followed by the reassembled payload.
 */
final class IpDefragmenter {
  private static final int INITIAL_BUFFER = 2048;
  private static final int IPV4_FRAGMENT_FIELDS = 6;
  private static final int IPV4_DONT_FRAGMENT_BITS = 0x40;

  private final DecoderLimits limits;
  private final LinkedHashMap<Key, Datagram> table = new LinkedHashMap<>();
  /** Reused for lookups so that a fragment that joins a known datagram allocates no key. */
  private final Key probe = new Key();
  private long bytesHeld;
  private byte[] output = new byte[INITIAL_BUFFER];
  private int outputLength;

  IpDefragmenter(DecoderLimits limits) {
    this.limits = limits;
  }

  /** The reassembly buffer: the last completed datagram is {@code output()[0, outputLength())}. */
  byte[] output() {
    return output;
  }

  int outputLength() {
    return outputLength;
  }

  int inFlight() {
    return table.size();
  }

  long bytesHeld() {
    return bytesHeld;
  }

  /**
   * Adds the fragment that {@code p} describes (IP fields decoded; {@code transportOffset} is where the fragment's
   * data starts). Returns true when it completed its datagram, which is then in {@link #output()}.
   */
  boolean offer(DecodedPacket p, long tsNanos, long recordOffset, ProblemSink problems) {
    byte[] b = p.buffer;
    int start = p.fragmentOffset;
    int wireEnd = start + p.l4WireLength;
    int capturedEnd = start + Math.max(0, p.l4End - p.transportOffset);
    probe.set(p);
    if (wireEnd > limits.maxDatagramBytes()) {
      problems.report(PacketReasons.FRAGMENT_TOO_LARGE, recordOffset,
          probe + ": fragment ends at " + wireEnd + " > " + limits.maxDatagramBytes());
      return false;
    }
    Datagram d = table.get(probe);
    if (d == null) {
      if (table.size() >= limits.maxDatagramsInFlight()) {
        evictOldest(null, "evicted: more than " + limits.maxDatagramsInFlight() + " datagrams in flight", problems);
      }
      d = new Datagram(probe.copy(), tsNanos, recordOffset);
      table.put(d.key, d);
    }
    d.fragments++;
    if (!p.moreFragments) {
      if (d.totalLength < 0 && d.maxEnd() <= wireEnd) {
        d.totalLength = wireEnd;
      } else if (d.totalLength != wireEnd) {
        problems.report(PacketReasons.FRAGMENT_INCONSISTENT_LENGTH, recordOffset,
            d.key + ": last fragment ends at " + wireEnd + ", datagram known to end at "
                + (d.totalLength >= 0 ? d.totalLength : d.maxEnd()));
        return false;
      }
    } else if (d.totalLength >= 0 && wireEnd > d.totalLength) {
      problems.report(PacketReasons.FRAGMENT_INCONSISTENT_LENGTH, recordOffset,
          d.key + ": fragment ends at " + wireEnd + " past the datagram end " + d.totalLength);
      return false;
    }
    if (start == 0 && d.header == null) {
      keepHeader(d, p);
    }
    if (capturedEnd > start) {
      if (!ensureCapacity(d, capturedEnd, problems)) {
        return false;
      }
      insert(d, b, p.transportOffset, start, capturedEnd, problems, recordOffset);
    }
    if (!d.complete()) {
      return false;
    }
    remove(d);
    return assemble(d, problems);
  }

  /** Drops datagrams whose first fragment is older than the timeout at capture time {@code tsNanos}. */
  void expire(long tsNanos, ProblemSink problems) {
    if (table.isEmpty()) {
      return;
    }
    Iterator<Datagram> it = table.values().iterator();
    while (it.hasNext()) {
      Datagram d = it.next();
      if (tsNanos - d.firstTsNanos <= limits.fragmentTimeoutNanos()) {
        return;
      }
      it.remove();
      bytesHeld -= d.data.length;
      reportIncomplete(d, "timed out after " + limits.fragmentTimeoutNanos() / 1_000_000 + " ms", problems);
    }
  }

  /** Reports and drops every open datagram: the end-of-input step. */
  void flush(ProblemSink problems) {
    for (Datagram d : table.values()) {
      reportIncomplete(d, "still incomplete at end of input", problems);
    }
    table.clear();
    bytesHeld = 0;
  }

  private void keepHeader(Datagram d, DecodedPacket p) {
    if (p.ipVersion == 4) {
      d.header = Arrays.copyOfRange(p.buffer, p.ipOffset, p.transportOffset);
    } else {
      d.header = Arrays.copyOfRange(p.buffer, p.ipOffset, p.fragHeaderOffset);
      d.nextHeaderAt = p.fragPrevNextOffset - p.ipOffset;
      d.nextHeader = p.protocol;
    }
  }

  private boolean ensureCapacity(Datagram d, int needed, ProblemSink problems) {
    if (d.data.length >= needed) {
      return true;
    }
    int size = Math.min(limits.maxDatagramBytes(), Math.max(needed, Math.max(INITIAL_BUFFER, d.data.length * 2)));
    int growth = size - d.data.length;
    while (bytesHeld + growth > limits.maxTotalBytes()) {
      if (!evictOldest(d, "evicted: fragment buffers reached " + limits.maxTotalBytes() + " bytes", problems)) {
        remove(d);
        reportIncomplete(d, "dropped: fragment buffers reached " + limits.maxTotalBytes() + " bytes", problems);
        return false;
      }
    }
    d.data = Arrays.copyOf(d.data, size);
    bytesHeld += growth;
    return true;
  }

  /** Evicts the oldest datagram other than {@code keep}; false when there is none. */
  private boolean evictOldest(Datagram keep, String why, ProblemSink problems) {
    for (Datagram d : table.values()) {
      if (d != keep) {
        remove(d);
        reportIncomplete(d, why, problems);
        return true;
      }
    }
    return false;
  }

  private void remove(Datagram d) {
    table.remove(d.key);
    bytesHeld -= d.data.length;
  }

  /** Copies the not-yet-held parts of [start, end) and compares the parts already held. */
  private static void insert(Datagram d, byte[] src, int srcOffset, int start, int end, ProblemSink problems,
                             long recordOffset) {
    int cur = start;
    boolean conflict = false;
    for (int i = 0; i < d.ranges && cur < end; i++) {
      if (d.hi[i] <= cur) {
        continue;
      }
      if (d.lo[i] >= end) {
        break;
      }
      if (d.lo[i] > cur) {
        System.arraycopy(src, srcOffset + cur - start, d.data, cur, d.lo[i] - cur);
        cur = d.lo[i];
      }
      int overlapEnd = Math.min(d.hi[i], end);
      if (!Arrays.equals(d.data, cur, overlapEnd, src, srcOffset + cur - start, srcOffset + overlapEnd - start)) {
        conflict = true;
      }
      cur = overlapEnd;
    }
    if (cur < end) {
      System.arraycopy(src, srcOffset + cur - start, d.data, cur, end - cur);
    }
    d.addRange(start, end);
    if (conflict) {
      problems.report(PacketReasons.FRAGMENT_OVERLAP, recordOffset,
          d.key + ": fragment [" + start + ", " + end + ") overlaps earlier fragments with different bytes;"
              + " first bytes kept");
    }
  }

  private boolean assemble(Datagram d, ProblemSink problems) {
    int headerLength = d.header.length;
    int length = headerLength + d.totalLength;
    // IPv4 total length and IPv6 payload length are 16-bit fields.
    int lengthField = d.key.version == 4 ? length : length - Ipv6.HEADER;
    if (lengthField > DecoderLimits.MAX_IP_DATAGRAM) {
      problems.report(PacketReasons.FRAGMENT_TOO_LARGE, d.firstRecordOffset,
          d.key + ": reassembled length " + lengthField + " does not fit the IP length field");
      return false;
    }
    if (output.length < length) {
      output = new byte[Math.max(length, output.length * 2)];
    }
    System.arraycopy(d.header, 0, output, 0, headerLength);
    if (d.key.version == 4) {
      Bytes.put16(output, 2, length);
      output[IPV4_FRAGMENT_FIELDS] &= IPV4_DONT_FRAGMENT_BITS; // keep DF, clear MF and the offset
      output[IPV4_FRAGMENT_FIELDS + 1] = 0;
    } else {
      Bytes.put16(output, 4, lengthField);
      output[d.nextHeaderAt] = (byte) d.nextHeader; // unlink the fragment header
    }
    System.arraycopy(d.data, 0, output, headerLength, d.totalLength);
    outputLength = length;
    return true;
  }

  private static void reportIncomplete(Datagram d, String why, ProblemSink problems) {
    problems.report(PacketReasons.FRAGMENT_INCOMPLETE, d.firstRecordOffset,
        d.key + ": " + d.fragments + " fragment(s), " + d.heldBytes() + " of "
            + (d.totalLength >= 0 ? String.valueOf(d.totalLength) : "unknown") + " bytes"
            + (d.header == null ? ", first fragment missing" : "") + "; " + why);
  }

  /** Datagram identity. Mutable only while it is the lookup probe; keys in the table are copies. */
  static final class Key {
    private final byte[] addresses = new byte[32];
    private int addressLength;
    int version;
    private long id;
    private int protocol;
    private int vlan;
    private int hash;

    void set(DecodedPacket p) {
      version = p.ipVersion;
      addressLength = p.ipAddressLength();
      System.arraycopy(p.buffer, p.srcIpOffset, addresses, 0, addressLength);
      System.arraycopy(p.buffer, p.dstIpOffset, addresses, addressLength, addressLength);
      id = p.ipId;
      protocol = p.protocol;
      vlan = p.vlan;
      int h = version;
      for (int i = 0; i < 2 * addressLength; i++) {
        h = 31 * h + addresses[i];
      }
      hash = 31 * (31 * (31 * h + Long.hashCode(id)) + protocol) + vlan;
    }

    Key copy() {
      Key k = new Key();
      System.arraycopy(addresses, 0, k.addresses, 0, 2 * addressLength);
      k.addressLength = addressLength;
      k.version = version;
      k.id = id;
      k.protocol = protocol;
      k.vlan = vlan;
      k.hash = hash;
      return k;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hash == hash && k.version == version && k.id == id && k.protocol == protocol
          && k.vlan == vlan && k.addressLength == addressLength
          && Arrays.equals(addresses, 0, 2 * addressLength, k.addresses, 0, 2 * addressLength);
    }

    @Override
    public String toString() {
      return "IPv" + version + " " + address(0) + " > " + address(addressLength) + " id " + id + " proto " + protocol
          + (vlan >= 0 ? " vlan " + vlan : "");
    }

    private String address(int from) {
      try {
        return InetAddress.getByAddress(Arrays.copyOfRange(addresses, from, from + addressLength)).getHostAddress();
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** One datagram being reassembled: its bytes and the sorted, disjoint byte ranges received so far. */
  private static final class Datagram {
    final Key key;
    final long firstTsNanos;
    final long firstRecordOffset;
    byte[] data = new byte[0];
    int[] lo = new int[4];
    int[] hi = new int[4];
    int ranges;
    int fragments;
    /** Datagram payload length, known once the last fragment (MF=0) arrived; -1 before. */
    int totalLength = -1;
    /** Header bytes of the offset-0 fragment, null until it arrives. */
    byte[] header;
    /** IPv6: where in {@link #header} the next-header byte pointing at the fragment header is, and its new value. */
    int nextHeaderAt = -1;
    int nextHeader;

    Datagram(Key key, long firstTsNanos, long firstRecordOffset) {
      this.key = key;
      this.firstTsNanos = firstTsNanos;
      this.firstRecordOffset = firstRecordOffset;
    }

    int maxEnd() {
      return ranges == 0 ? 0 : hi[ranges - 1];
    }

    int heldBytes() {
      int n = 0;
      for (int i = 0; i < ranges; i++) {
        n += hi[i] - lo[i];
      }
      return n;
    }

    boolean complete() {
      return totalLength >= 0 && header != null
          && (totalLength == 0 || (ranges == 1 && lo[0] == 0 && hi[0] >= totalLength));
    }

    /** Adds [start, end), merging ranges that overlap or touch. */
    void addRange(int start, int end) {
      int[] newLo = new int[ranges + 1];
      int[] newHi = new int[ranges + 1];
      int n = 0;
      boolean placed = false;
      for (int i = 0; i < ranges; i++) {
        if (hi[i] < start) {
          newLo[n] = lo[i];
          newHi[n++] = hi[i];
        } else if (lo[i] > end) {
          if (!placed) {
            newLo[n] = start;
            newHi[n++] = end;
            placed = true;
          }
          newLo[n] = lo[i];
          newHi[n++] = hi[i];
        } else {
          start = Math.min(start, lo[i]);
          end = Math.max(end, hi[i]);
        }
      }
      if (!placed) {
        newLo[n] = start;
        newHi[n++] = end;
      }
      lo = newLo;
      hi = newHi;
      ranges = n;
    }
  }
}
