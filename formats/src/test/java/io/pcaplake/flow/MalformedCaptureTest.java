package io.pcaplake.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.capture.ArrayByteSource;
import io.pcaplake.capture.CaptureReasons;
import io.pcaplake.capture.PcapWriter;
import io.pcaplake.capture.PcapngWriter;
import io.pcaplake.http.HttpReasons;
import io.pcaplake.http.HttpRecord;
import io.pcaplake.http.HttpStage;
import io.pcaplake.http.SecretsOptions;
import io.pcaplake.packet.PacketReasons;
import io.pcaplake.synth.CaptureFiles;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.Fragments;
import io.pcaplake.synth.Frames;
import io.pcaplake.synth.HttpTraffic;
import io.pcaplake.synth.Ipv4Header;
import io.pcaplake.synth.Link;
import io.pcaplake.synth.SynthPacket;
import io.pcaplake.synth.TcpConversation;
import io.pcaplake.synth.TcpHeader;
import io.pcaplake.synth.TcpOptions;
import io.pcaplake.tcp.DirectionStats;
import io.pcaplake.tcp.FlowSummary;
import io.pcaplake.tcp.TcpReasons;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The malformed-capture suite (issue 6, {@code docs/accounting.md}): captures written by the project's writers, then
 * broken on purpose, each run through reader, decoder and reassembler ({@link Accounting}) with its outcome asserted
 * (records delivered, reason codes counted, what is resynced) and both accounting identities checked. Nothing may
 * throw. Reader- and decoder-level details of the same cases are unit-tested in {@code PcapReaderTest},
 * {@code PcapngReaderTest}, {@code PacketDecoderIpTcpTest} and {@code PacketDecoderDefragTest}; this suite checks the
 * whole formats pipeline on each, and the hostile HTTP cases (gzip bomb, 2^64 chunk size, 100k headers, non-UTF-8
 * bytes) through the HTTP stage too.
 */
class MalformedCaptureTest {
  private static final long T0 = 1_700_000_000_000_000_000L;
  private static final Inet4Address CLIENT = v4("10.0.0.1");
  private static final Inet4Address SERVER = v4("10.0.0.2");
  private static final Ipv4Header IP = Ipv4Header.of(CLIENT, SERVER);
  private static final Link LINK = Link.ethernet(Link.DEFAULT_CLIENT_MAC, Link.DEFAULT_SERVER_MAC);
  private static final byte[] REQUEST = ascii("GET /index.html HTTP/1.1\r\nHost: example\r\n\r\n");
  private static final byte[] RESPONSE = ascii("HTTP/1.1 200 OK\r\nContent-Length: 2000\r\n\r\n" + "x".repeat(2000));

  private static Inet4Address v4(String s) {
    try {
      return (Inet4Address) InetAddress.getByName(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A complete HTTP connection: handshake, request, 2 KB response in two segments, FIN both ways. */
  private static List<SynthPacket> conversation() {
    return TcpConversation.between(CLIENT, 40000, SERVER, 80).start(T0).open().handshake().clientSends(REQUEST)
        .serverSends(RESPONSE).fin().packets();
  }

  private static Accounting.FileAccount run(String name, byte[] capture) throws IOException {
    Accounting.FileAccount a = Accounting.of(new ArrayByteSource(name, capture));
    a.assertBalanced(name);
    return a;
  }

  /** Offset of record {@code i} in a classic pcap of these packets. */
  private static int recordOffset(List<SynthPacket> packets, int i) {
    int off = PcapWriter.FILE_HEADER_LENGTH;
    for (int k = 0; k < i; k++) {
      off += PcapWriter.RECORD_HEADER_LENGTH + packets.get(k).frame().length;
    }
    return off;
  }

  private static byte[] pcap(List<SynthPacket> packets) {
    return CaptureFiles.bytes(Format.PCAP, packets);
  }

  private static byte[] insert(byte[] f, int at, byte[] extra) {
    byte[] out = new byte[f.length + extra.length];
    System.arraycopy(f, 0, out, 0, at);
    System.arraycopy(extra, 0, out, at, extra.length);
    System.arraycopy(f, at, out, at + extra.length, f.length - at);
    return out;
  }

  /** The clean conversation's delivered bytes, per direction: what a resynced read must still reassemble. */
  private static void assertWholeConversation(Accounting.FileAccount a, String what) {
    assertEquals(1, a.summaries().size(), what);
    FlowSummary s = a.summaries().get(0);
    assertEquals(REQUEST.length, s.client().bytes(), what);
    assertEquals(RESPONSE.length, s.server().bytes(), what);
    assertEquals(0, s.missingBytes(), what);
    assertEquals("SF", s.connState(), what);
  }

  // ---------------------------------------------------------------------------------------------- classic pcap

  @Test
  void cleanConversationIsTheBaseline() throws IOException {
    List<SynthPacket> p = conversation();
    Accounting.FileAccount a = run("clean", pcap(p));
    assertEquals(p.size(), a.records().packets());
    assertEquals(p.size(), a.records().recordsOk());
    assertEquals(0, a.records().recordsBad());
    assertEquals(REQUEST.length + RESPONSE.length, a.payloadFed());
    assertWholeConversation(a, "clean");
    assertTrue(a.problems().isEmpty(), a.problems().toString());
  }

  @Test
  void truncatedAtEveryByteOfTheLastRecord() throws IOException {
    List<SynthPacket> p = conversation();
    byte[] f = pcap(p);
    int last = recordOffset(p, p.size() - 1);
    for (int cut = last + 1; cut < f.length; cut++) {
      Accounting.FileAccount a = run("cut@" + cut, Arrays.copyOf(f, cut));
      assertEquals(p.size() - 1, a.records().packets(), "cut at " + cut);
      assertEquals(1, a.records().recordsBad(), "cut at " + cut);
      assertEquals(1, a.problems(CaptureReasons.PCAP_TRUNCATED_RECORD), "cut at " + cut);
      // the last record is the client's final ACK: the streams are whole without it
      assertEquals(REQUEST.length + RESPONSE.length, a.sum(DirectionStats::bytes), "cut at " + cut);
    }
  }

  @Test
  void truncatedFileHeader() throws IOException {
    byte[] f = pcap(conversation());
    for (int cut = 1; cut < PcapWriter.FILE_HEADER_LENGTH; cut++) {
      Accounting.FileAccount a = run("header@" + cut, Arrays.copyOf(f, cut));
      assertEquals(0, a.records().read(), "cut at " + cut);
      // under 4 bytes there is no magic to recognise
      String reason = cut < 4 ? CaptureReasons.NOT_A_CAPTURE : CaptureReasons.PCAP_TRUNCATED_HEADER;
      assertEquals(Map.of(reason, 1L), a.problems(), "cut at " + cut);
    }
  }

  @Test
  void garbageBlockInTheMiddleIsResyncedAndTheRecordsAfterItRead() throws IOException {
    List<SynthPacket> p = conversation();
    byte[] garbage = new byte[3000];
    new Random(6).nextBytes(garbage);
    int at = recordOffset(p, 4);
    Accounting.FileAccount a = run("garbage", insert(pcap(p), at, garbage));
    assertEquals(p.size(), a.records().packets(), "every real record is read");
    assertEquals(1, a.records().recordsBad(), "one garbage run");
    assertEquals(1, a.problems(CaptureReasons.PCAP_BAD_RECORD_HEADER), a.problems().toString());
    assertWholeConversation(a, "garbage");
  }

  /** Rewrites record {@code i}'s caplen and origlen fields (little-endian file). */
  private static byte[] withLengths(List<SynthPacket> p, int i, long caplen, long origlen) {
    byte[] f = pcap(p);
    ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
    int off = recordOffset(p, i);
    b.putInt(off + 8, (int) caplen);
    b.putInt(off + 12, (int) origlen);
    return f;
  }

  @Test
  void caplenAboveSnaplenIsReturnedAndReportedOnce() throws IOException {
    List<SynthPacket> p = conversation();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(out, ByteOrder.LITTLE_ENDIAN, false, 100, 1)) {
      for (SynthPacket s : p) {
        w.write(s.tsNanos(), s.frame(), 0, s.frame().length, s.origlen());
      }
    }
    Accounting.FileAccount a = run("snaplen100", out.toByteArray());
    assertEquals(p.size(), a.records().packets());
    assertEquals(1, a.problems(CaptureReasons.PCAP_CAPLEN_EXCEEDS_SNAPLEN));
    assertWholeConversation(a, "snaplen100");
  }

  @Test
  void caplenBeyondTheNextRecordIsTrimmedAtTheVerifiedBoundary() throws IOException {
    List<SynthPacket> p = conversation();
    int i = 3;
    int len = p.get(i).frame().length;
    Accounting.FileAccount a = run("caplen+100", withLengths(p, i, len + 100, len + 100));
    assertEquals(p.size(), a.records().packets());
    assertEquals(1, a.problems(CaptureReasons.PCAP_RECORD_TRIMMED), a.problems().toString());
    assertWholeConversation(a, "caplen+100");
  }

  @Test
  void caplenBeyondTheEndOfTheFileIsATruncatedRecord() throws IOException {
    List<SynthPacket> p = conversation();
    int i = p.size() - 1;
    int len = p.get(i).frame().length;
    Accounting.FileAccount a = run("caplen>remaining", withLengths(p, i, len + 1000, len + 1000));
    assertEquals(p.size() - 1, a.records().packets());
    assertEquals(1, a.records().recordsBad());
    assertEquals(1, a.problems(CaptureReasons.PCAP_TRUNCATED_RECORD), a.problems().toString());
  }

  @Test
  void caplenAllOnesIsABadHeaderResyncedWithoutAllocating() throws IOException {
    List<SynthPacket> p = conversation();
    Accounting.FileAccount a = run("caplen=0xFFFFFFFF", withLengths(p, 3, 0xFFFFFFFFL, 0xFFFFFFFFL));
    assertEquals(p.size() - 1, a.records().packets(), "the record with the absurd header is lost, the rest read");
    assertEquals(1, a.records().recordsBad());
    assertEquals(1, a.problems(CaptureReasons.PCAP_BAD_RECORD_HEADER), a.problems().toString());
  }

  @Test
  void origlenBelowCaplenIsABadHeader() throws IOException {
    List<SynthPacket> p = conversation();
    int len = p.get(3).frame().length;
    Accounting.FileAccount a = run("origlen<caplen", withLengths(p, 3, len, len - 1));
    assertEquals(p.size() - 1, a.records().packets());
    assertEquals(1, a.records().recordsBad());
    assertEquals(1, a.problems(CaptureReasons.PCAP_BAD_RECORD_HEADER), a.problems().toString());
  }

  @Test
  void timestampsGoingBackwardsAreReadAsTheyAreAndSortedForReassembly() throws IOException {
    List<SynthPacket> p = new ArrayList<>(conversation());
    List<SynthPacket> shuffled = new ArrayList<>();
    // file order: reversed; timestamps keep their values, so every step goes back in time
    for (int i = p.size() - 1; i >= 0; i--) {
      shuffled.add(p.get(i));
    }
    Accounting.FileAccount a = run("backwards", pcap(shuffled));
    assertEquals(p.size(), a.records().packets());
    assertEquals(0, a.records().recordsBad());
    assertTrue(a.problems().isEmpty(), a.problems().toString());
    assertWholeConversation(a, "backwards");
  }

  // ---------------------------------------------------------------------------------------------- pcapng

  private interface Blocks {
    void write(PcapngWriter w, List<SynthPacket> p) throws IOException;
  }

  private static byte[] pcapng(Blocks b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapngWriter w = new PcapngWriter(out, ByteOrder.LITTLE_ENDIAN)) {
      b.write(w, conversation());
    }
    return out.toByteArray();
  }

  private static void epbs(PcapngWriter w, List<SynthPacket> p, int from, int to) throws IOException {
    for (int i = from; i < to; i++) {
      SynthPacket s = p.get(i);
      w.writeEpb(0, s.tsNanos(), s.frame(), 0, s.frame().length, s.origlen());
    }
  }

  @Test
  void pcapngWrongTrailingLengthIsResynced() throws IOException {
    byte[] prefix = pcapng((w, p) -> {
      w.addInterface(1, 65535, 9, 0, -1);
      epbs(w, p, 0, 4);
    });
    byte[] f = pcapng((w, p) -> {
      w.addInterface(1, 65535, 9, 0, -1);
      epbs(w, p, 0, p.size());
    });
    Accounting.FileAccount clean = run("pcapng", f);
    assertEquals(conversation().size(), clean.records().packets());
    // the 4th EPB's trailing length (the last 4 bytes of the prefix) no longer matches its leading one
    ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(prefix.length - 4, 44);
    Accounting.FileAccount a = run("pcapng-trailer", f);
    assertEquals(1, a.problems(CaptureReasons.PCAPNG_TRAILING_LENGTH_MISMATCH), a.problems().toString());
    assertEquals(clean.records().packets() - 1, a.records().packets(), "only the block with the bad trailer is lost");
    assertEquals(1, a.records().recordsBad());
  }

  @Test
  void pcapngUnknownBlockTypesAreSkipped() throws IOException {
    byte[] f = pcapng((w, p) -> {
      w.addInterface(1, 65535, 9, 0, -1);
      for (int i = 0; i < p.size(); i++) {
        w.writeBlock(0x7E57_0000 + i, new byte[i * 4]);
        SynthPacket s = p.get(i);
        w.writeEpb(0, s.tsNanos(), s.frame(), 0, s.frame().length, s.origlen());
      }
    });
    Accounting.FileAccount a = run("pcapng-unknown", f);
    assertEquals(conversation().size(), a.records().packets());
    assertEquals(0, a.records().recordsBad());
    assertTrue(a.problems().isEmpty(), a.problems().toString());
    assertWholeConversation(a, "pcapng-unknown");
  }

  @Test
  void pcapngEpbBeforeIdbAndInterfaceOutOfRange() throws IOException {
    byte[] f = pcapng((w, p) -> {
      SynthPacket s0 = p.get(0);
      w.writeBlock(6, ByteBuffer.allocate(20 + 8).order(ByteOrder.LITTLE_ENDIAN)
          .putInt(0).putInt(0).putInt(0).putInt(7).putInt(7).array());
      w.addInterface(1, 65535, 9, 0, -1);
      w.writeBlock(6, ByteBuffer.allocate(20 + 8).order(ByteOrder.LITTLE_ENDIAN)
          .putInt(9).putInt(0).putInt(0).putInt(7).putInt(7).array());
      w.writeEpb(0, s0.tsNanos(), s0.frame(), 0, s0.frame().length, s0.origlen());
      epbs(w, p, 1, p.size());
    });
    Accounting.FileAccount a = run("pcapng-ids", f);
    assertEquals(conversation().size(), a.records().packets());
    assertEquals(2, a.records().recordsBad());
    assertEquals(1, a.problems(CaptureReasons.PCAPNG_EPB_BEFORE_IDB));
    assertEquals(1, a.problems(CaptureReasons.PCAPNG_UNKNOWN_INTERFACE));
    assertWholeConversation(a, "pcapng-ids");
  }

  @Test
  void pcapngSecondSectionInTheOtherByteOrder() throws IOException {
    byte[] f = pcapng((w, p) -> {
      w.addInterface(1, 65535, 9, 0, -1);
      epbs(w, p, 0, 5);
      w.newSection(ByteOrder.BIG_ENDIAN);
      w.addInterface(1, 65535, 6, 0, -1);
      epbs(w, p, 5, p.size());
    });
    Accounting.FileAccount a = run("pcapng-2sections", f);
    assertEquals(conversation().size(), a.records().packets());
    assertTrue(a.problems().isEmpty(), a.problems().toString());
    assertWholeConversation(a, "pcapng-2sections");
  }

  @Test
  void pcapngOptionLengthPastTheBlockKeepsTheInterface() throws IOException {
    byte[] f = pcapng((w, p) -> {
      // IDB: linktype 1, snaplen 65535, then an option claiming 200 bytes in a 4-byte remainder
      w.writeBlock(1, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
          .putShort((short) 1).putShort((short) 0).putInt(65535).putShort((short) 9).putShort((short) 200).array());
      // the writer needs an interface of its own to write EPBs: a second, identical one (µs, as the broken one
      // defaults to); the EPBs below name interface 0, the broken one
      w.addInterface(1, 65535, 6, 0, -1);
      epbs(w, p, 0, p.size());
    });
    Accounting.FileAccount a = run("pcapng-option", f);
    assertEquals(1, a.problems(CaptureReasons.PCAPNG_OPTION_OVERRUN));
    assertEquals(conversation().size(), a.records().packets());
    assertEquals(1, a.summaries().size());
    assertEquals(REQUEST.length + RESPONSE.length, a.sum(DirectionStats::bytes));
  }

  // ---------------------------------------------------------------------------------------------- packets

  private static SynthPacket packet(long ts, byte[] frame) {
    return SynthPacket.of(ts, 1, frame);
  }

  private static byte[] tcpFrame(boolean fromClient, long seq, long ack, int flags, byte[] payload) {
    TcpHeader h = fromClient
        ? new TcpHeader(40000, 80, seq, ack, flags, 65535, TcpOptions.NONE)
        : new TcpHeader(80, 40000, seq, ack, flags, 65535, TcpOptions.NONE);
    return Frames.tcpFrame(fromClient ? LINK : LINK.reversed(), fromClient ? IP : IP.reversed(), h, payload);
  }

  /** The conversation with extra packets appended after its last one. */
  private static byte[] withExtra(List<SynthPacket> extra) {
    List<SynthPacket> all = new ArrayList<>(conversation());
    all.addAll(extra);
    return pcap(all);
  }

  @Test
  void brokenHeadersAreMalformedRecordsCounted() throws IOException {
    long ts = T0 + 5_000_000_000L;
    byte[] good = tcpFrame(true, 1, 1, TcpHeader.ACK, new byte[0]);
    byte[] shortEthernet = Arrays.copyOf(good, 10);
    byte[] ihl4 = good.clone();
    ihl4[14] = 0x44;
    byte[] offset4 = good.clone();
    offset4[14 + 20 + 12] = 0x40;
    byte[] offsetPastEnd = good.clone();
    offsetPastEnd[14 + 20 + 12] = (byte) 0xf0;
    List<SynthPacket> extra = List.of(packet(ts, shortEthernet), packet(ts + 1, ihl4), packet(ts + 2, offset4),
        packet(ts + 3, offsetPastEnd));
    Accounting.FileAccount a = run("bad-headers", withExtra(extra));
    assertEquals(4, a.records().recordsBad(), a.records().toString());
    assertEquals(1, a.problems(PacketReasons.TRUNCATED_HEADER), a.problems().toString());
    assertEquals(1, a.problems(PacketReasons.IP_BAD_HEADER_LENGTH), a.problems().toString());
    assertEquals(1, a.problems(PacketReasons.TCP_BAD_DATA_OFFSET), a.problems().toString());
    assertEquals(1, a.problems(PacketReasons.TCP_HEADER_PAST_END), a.problems().toString());
    assertWholeConversation(a, "bad-headers");
  }

  @Test
  void ipTotalLengthZeroAndBeyondTheFrameKeepThePayload() throws IOException {
    // a client segment of 100 bytes at the next sequence number, sent twice with broken IP lengths:
    // total length 0 (TSO: length from the frame) then total length 9000 (beyond the frame: clamped)
    List<SynthPacket> base = conversation();
    long ts = T0 + 5_000_000_000L;
    byte[] data = new byte[100];
    Arrays.fill(data, (byte) 'z');
    // the client's FIN used seq = ISN + 1 + request; data after the FIN is dropped (tcp.data_after_fin), so put the
    // segments in a fresh connection on another port instead
    TcpConversation c = TcpConversation.between(CLIENT, 40001, SERVER, 80).start(ts).open().handshake();
    c.clientSends(data);
    List<SynthPacket> extra = new ArrayList<>(c.packets());
    int dataIndex = 3;
    byte[] zero = extra.get(dataIndex).frame().clone();
    zero[16] = 0;
    zero[17] = 0;
    byte[] big = extra.get(dataIndex).frame().clone();
    big[16] = (byte) (9000 >> 8);
    big[17] = (byte) (9000 & 0xff);
    SynthPacket original = extra.get(dataIndex);
    extra.set(dataIndex, SynthPacket.of(original.tsNanos(), 1, zero));
    extra.add(dataIndex + 1, SynthPacket.of(original.tsNanos() + 1, 1, big));
    List<SynthPacket> all = new ArrayList<>(base);
    all.addAll(extra);
    Accounting.FileAccount a = run("ip-lengths", pcap(all));
    assertEquals(1, a.problems(PacketReasons.IP_TOTAL_LENGTH_ZERO), a.problems().toString());
    assertEquals(1, a.problems(PacketReasons.IP_LENGTH_EXCEEDS_FRAME), a.problems().toString());
    assertEquals(0, a.records().recordsBad());
    FlowSummary second = a.summaries().stream().filter(s -> s.info().clientPort() == 40001).findFirst().orElseThrow();
    assertEquals(100, second.client().bytes(), "the TSO segment's payload is delivered");
    assertEquals(100, second.client().retransmittedBytes(), "the clamped copy is a retransmission");
  }

  @Test
  void overlappingAndNeverCompletedFragments() throws IOException {
    long ts = T0 + 5_000_000_000L;
    byte[] udp = Frames.ipv4(IP.withId(77), Frames.PROTO_UDP, Frames.udp(IP, 5000, 53, new byte[600]));
    List<byte[]> overlapping = Fragments.ipv4Overlapping(udp, 200, 16, true);
    byte[] tcp = Frames.ipv4(IP.withId(78), Frames.PROTO_TCP,
        Frames.tcp(IP, new TcpHeader(40002, 80, 1, 0, TcpHeader.ACK, 100, TcpOptions.NONE), new byte[800]));
    List<byte[]> incomplete = Fragments.ipv4(tcp, 256);
    List<SynthPacket> extra = new ArrayList<>();
    for (byte[] frag : overlapping) {
      extra.add(packet(ts++, LINK.frame(frag)));
    }
    for (int i = 0; i < incomplete.size() - 1; i++) {  // the last fragment never comes
      extra.add(packet(ts++, LINK.frame(incomplete.get(i))));
    }
    Accounting.FileAccount a = run("fragments", withExtra(extra));
    assertTrue(a.problems(PacketReasons.FRAGMENT_OVERLAP) >= 1, a.problems().toString());
    assertEquals(1, a.problems(PacketReasons.FRAGMENT_INCOMPLETE), a.problems().toString());
    assertEquals(0, a.records().recordsBad(), "fragments are decoded records");
    assertEquals(1, a.summaries().size(), "the incomplete TCP datagram never reaches the reassembler");
  }

  // ---------------------------------------------------------------------------------------------- TCP

  @Test
  void synWithDataIsDelivered() throws IOException {
    long ts = T0 + 5_000_000_000L;
    byte[] data = ascii("early");
    List<SynthPacket> extra = List.of(
        packet(ts, tcpFrame(true, 1000, 0, TcpHeader.SYN, data)),
        packet(ts + 1, tcpFrame(false, 5000, 1001 + data.length, TcpHeader.SYN | TcpHeader.ACK, new byte[0])),
        packet(ts + 2, tcpFrame(true, 1001 + data.length, 5001, TcpHeader.ACK, new byte[0])));
    List<SynthPacket> all = new ArrayList<>(extra);  // a capture of just this connection
    Accounting.FileAccount a = run("syn-data", pcap(all));
    assertEquals(1, a.summaries().size());
    assertEquals(data.length, a.summaries().get(0).client().bytes());
    assertEquals(data.length, a.summaries().get(0).client().payloadSeen());
  }

  @Test
  void rstStormWithPayloadIsCountedDropped() throws IOException {
    long ts = T0 + 5_000_000_000L;
    Random rnd = new Random(6);
    List<SynthPacket> storm = new ArrayList<>();
    long dropped = 0;
    for (int i = 0; i < 5000; i++) {
      byte[] payload = new byte[rnd.nextInt(3) * 10];
      dropped += payload.length;
      storm.add(packet(ts + i, tcpFrame(i % 2 == 0, rnd.nextInt() & 0xffffffffL, rnd.nextInt() & 0xffffffffL,
          TcpHeader.RST | (i % 3 == 0 ? TcpHeader.ACK : 0), payload)));
    }
    Accounting.FileAccount a = run("rst-storm", withExtra(storm));
    assertEquals(conversation().size() + storm.size(), a.records().packets());
    assertEquals(dropped, a.sum(DirectionStats::droppedBytes));
    assertTrue(a.summaries().size() <= 2, "RSTs open no new connections: " + a.summaries().size());
  }

  /** The conversation up to the request, plus the request segment again {@code jump} further in sequence space. */
  private static Accounting.FileAccount jumped(long jump) throws IOException {
    TcpConversation c = TcpConversation.between(CLIENT, 40003, SERVER, 80).start(T0).open().handshake()
        .clientSends(REQUEST);
    List<SynthPacket> p = new ArrayList<>(c.packets());
    SynthPacket req = p.get(3);
    byte[] frame = req.frame().clone();
    ByteBuffer b = ByteBuffer.wrap(frame);
    long seq = b.getInt(14 + 20 + 4) & 0xffffffffL;
    b.putInt(14 + 20 + 4, (int) (seq + REQUEST.length + jump)); // the decoder does not verify TCP checksums
    p.add(SynthPacket.of(req.tsNanos() + 1_000_000, 1, frame));
    return run("seq+" + jump, pcap(p));
  }

  @Test
  void sequenceJumpsAreDroppedNeverAHugeGap() throws IOException {
    // 2^31 ahead is as far behind: 32-bit sequence arithmetic reads it as data before the stream start
    Accounting.FileAccount half = jumped(1L << 31);
    assertEquals(1, half.problems(TcpReasons.DATA_BEFORE_START), half.problems().toString());
    // 2^30 ahead is beyond maxSeqJump (16 MiB)
    Accounting.FileAccount far = jumped(1L << 30);
    assertEquals(1, far.problems(TcpReasons.SEQ_JUMP), far.problems().toString());
    for (Accounting.FileAccount a : List.of(half, far)) {
      FlowSummary s = a.summaries().get(0);
      assertEquals(REQUEST.length, s.client().bytes());
      assertEquals(REQUEST.length, s.client().droppedBytes());
      assertEquals(0, s.client().missingBytes(), "no gap of 2^30 or 2^31 bytes");
    }
  }

  // ---------------------------------------------------------------------------------------------- HTTP

  @Test
  void hostileHttpThroughTheWholePipeline() throws IOException {
    byte[] bomb = HttpTraffic.gzip(new byte[20 << 20]);
    byte[] bombResponse = HttpTraffic.concat(ascii("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: "
        + bomb.length + "\r\n\r\n"), bomb);
    byte[] chunk2pow64 = ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\nabc");
    StringBuilder many = new StringBuilder("GET /many HTTP/1.1\r\n");
    for (int i = 0; i < 100_000; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    many.append("\r\nGET /after HTTP/1.1\r\nHost: h\r\n\r\n");
    byte[] ok = ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    byte[] latin1 = HttpTraffic.concat(ascii("GET /caf"), new byte[] {(byte) 0xe9}, ascii(" HTTP/1.1\r\nX-Name: M"),
        new byte[] {(byte) 0xfc}, ascii("ller\r\n\r\n"));
    List<SynthPacket> p = new ArrayList<>();
    p.addAll(TcpConversation.between(CLIENT, 41001, SERVER, 80).start(T0).open().handshake().clientSends(REQUEST)
        .serverSends(bombResponse).fin().packets());
    p.addAll(TcpConversation.between(CLIENT, 41002, SERVER, 80).start(T0 + 1_000_000_000L).open().handshake()
        .clientSends(REQUEST).serverSends(chunk2pow64).fin().packets());
    p.addAll(TcpConversation.between(CLIENT, 41003, SERVER, 80).start(T0 + 2_000_000_000L).open().handshake()
        .clientSends(ascii(many.toString())).serverSends(HttpTraffic.concat(ok, ok)).fin().packets());
    p.addAll(TcpConversation.between(CLIENT, 41004, SERVER, 80).start(T0 + 3_000_000_000L).open().handshake()
        .clientSends(latin1).serverSends(ok).fin().packets());
    p.sort(java.util.Comparator.comparingLong(SynthPacket::tsNanos));
    byte[] capture = pcap(p);
    run("http-hostile", capture);

    List<HttpRecord> rows = new ArrayList<>();
    List<AnomalyRecord> anomalies = new ArrayList<>();
    LocalFlows.run(List.of("http-hostile"), List.of(new ArrayByteSource("http-hostile", capture)), null,
        fa -> HttpStage.attach(fa, SecretsOptions.defaults(), rows::add, anomalies::add));
    Map<Integer, List<HttpRecord>> byPort = rows.stream().collect(
        java.util.stream.Collectors.groupingBy(HttpRecord::clientPort, TreeMap::new, java.util.stream.Collectors.toList()));
    Map<Integer, List<String>> reasons = new TreeMap<>();
    for (AnomalyRecord a : anomalies) {
      reasons.computeIfAbsent(byPort.entrySet().stream().filter(e -> e.getValue().get(0).flowId().equals(a.flowId()))
          .map(Map.Entry::getKey).findFirst().orElse(-1), k -> new ArrayList<>()).add(a.reason());
    }
    // gzip bomb: decoding stopped at the ratio cap, the wire bytes all counted
    HttpRecord b = byPort.get(41001).get(0);
    assertTrue(b.responseBodyBytes() <= 200L * bomb.length, "decoded " + b.responseBodyBytes());
    assertEquals(bomb.length, b.responseWireBytes());
    assertTrue(reasons.get(41001).contains(HttpReasons.DECOMPRESSION_BOMB), reasons.toString());
    // chunk size 2^64: no overflow, message incomplete
    HttpRecord c = byPort.get(41002).get(0);
    assertEquals(200, c.statusCode());
    assertFalse(c.responseComplete());
    assertTrue(reasons.get(41002).contains(HttpReasons.BAD_CHUNK_SIZE), reasons.toString());
    // 100k headers: the message is cut at maxHeaderBytes, the next request is found
    assertEquals(List.of("/many", "/after"), byPort.get(41003).stream().map(HttpRecord::uri).toList());
    assertTrue(reasons.get(41003).contains(HttpReasons.HEADERS_TOO_LARGE), reasons.toString());
    // non-UTF-8 bytes: percent-escaped, losslessly
    HttpRecord l = byPort.get(41004).get(0);
    assertEquals("/caf%E9", l.uri());
    assertEquals("M%FCller", l.requestHeaders().get(0).value());
    assertTrue(reasons.get(41004).containsAll(List.of(HttpReasons.NON_UTF8_URI, HttpReasons.NON_UTF8_HEADER)),
        reasons.toString());
  }
}
