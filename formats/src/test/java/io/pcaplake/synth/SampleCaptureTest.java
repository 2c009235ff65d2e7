package io.pcaplake.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.packet.IpPacket;
import org.pcap4j.packet.TcpPacket;

class SampleCaptureTest {
  static final Pattern REQUEST_LINE = Pattern.compile("(GET|POST) (\\S+) HTTP/1\\.1\\r\\n");
  static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) [A-Za-z ]+\\r\\n");

  @TempDir
  Path dir;

  static String sha256(Path p) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  @Test
  void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
    SampleCapture.Truth a = SampleCapture.write(dir.resolve("a.pcapng"), Format.PCAPNG);
    SampleCapture.Truth b = SampleCapture.write(dir.resolve("b.pcapng"), Format.PCAPNG);
    assertEquals(a, b);
    assertEquals(sha256(dir.resolve("a.pcapng")), sha256(dir.resolve("b.pcapng")));
    SampleCapture.Options d = SampleCapture.Options.defaults();
    SampleCapture.Options other = new SampleCapture.Options(d.seed() + 1, d.start(), d.span(), d.normalClients(),
        d.revokedAt());
    SampleCapture.write(dir.resolve("c.pcapng"), Format.PCAPNG, other);
    assertNotEquals(sha256(dir.resolve("a.pcapng")), sha256(dir.resolve("c.pcapng")));
  }

  @Test
  void pcapAndPcapngHoldTheSamePackets() throws Exception {
    SampleCapture.Options small = smallOptions();
    SampleCapture.write(dir.resolve("s.pcap"), Format.PCAP, small);
    SampleCapture.write(dir.resolve("s.pcapng"), Format.PCAPNG, small);
    List<SynthPacket> a = Oracle.read(dir.resolve("s.pcap"));
    List<SynthPacket> b = Oracle.read(dir.resolve("s.pcapng"));
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.get(i).tsNanos(), b.get(i).tsNanos(), "µs timestamps survive both formats");
      assertArrayEquals(a.get(i).frame(), b.get(i).frame());
    }
  }

  static SampleCapture.Options smallOptions() {
    SampleCapture.Options d = SampleCapture.Options.defaults();
    return new SampleCapture.Options(7, d.start(), Duration.ofMinutes(40), 3, d.start().plus(Duration.ofMinutes(20)));
  }

  /** Reassembles every connection from the written file and checks the truth against what is on the wire. */
  @Test
  void truthMatchesWhatWasWritten() throws Exception {
    SampleCapture.Options o = SampleCapture.Options.defaults();
    Path file = dir.resolve("demo.pcapng");
    SampleCapture.Truth t = SampleCapture.write(file, Format.PCAPNG, o);
    List<SynthPacket> packets = Oracle.read(file);
    assertEquals(t.packets(), packets.size());

    Map<String, List<SynthPacket>> byTuple = new LinkedHashMap<>();
    for (int i = 0; i < packets.size(); i++) {
      SynthPacket p = packets.get(i);
      if (i > 0) {
        assertTrue(p.tsNanos() >= packets.get(i - 1).tsNanos(), "capture order");
      }
      IpPacket ip = Oracle.ip(p);
      TcpPacket tcp = ip.get(TcpPacket.class);
      boolean toServer = tcp.getHeader().getDstPort().valueAsInt() == SampleCapture.SERVER_PORT;
      String client = toServer ? ip.getHeader().getSrcAddr().getHostAddress() + ":" + tcp.getHeader().getSrcPort()
          .valueAsInt() : ip.getHeader().getDstAddr().getHostAddress() + ":" + tcp.getHeader().getDstPort()
          .valueAsInt();
      byTuple.computeIfAbsent(client, k -> new ArrayList<>()).add(p);
    }
    int connections = 0;
    int requests = 0;
    Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    int unauthorized = 0;
    int resets = 0;
    long revokedNs = o.revokedAt().getEpochSecond() * 1_000_000_000L;
    for (var e : byTuple.entrySet()) {
      int port = Integer.parseInt(e.getKey().substring(e.getKey().indexOf(':') + 1));
      var conns = TestReassembler.reassemble(e.getValue(), port);
      for (var c : conns) {
        // Every connection closes with FINs but the incidents' one the client aborts (Truth.incidents().resets()).
        assertTrue(c.syn && (c.client.fin && c.server.fin || c.client.rst), e.getKey());
        resets += c.client.rst ? 1 : 0;
        assertEquals(0, c.client.rewrites + c.server.rewrites);
        connections++;
        String req = new String(c.client.contiguous(), StandardCharsets.ISO_8859_1);
        String resp = new String(c.server.contiguous(), StandardCharsets.ISO_8859_1);
        int n = count(REQUEST_LINE.matcher(req));
        requests += n;
        Matcher m = STATUS_LINE.matcher(resp);
        int responses = 0;
        while (m.find()) {
          responses++;
          int code = Integer.parseInt(m.group(1));
          statuses.merge(code, 1, Integer::sum);
          if (code == 401) {
            unauthorized++;
            assertTrue(e.getKey().startsWith(SampleCapture.OFFENDING_CLIENT + ":"));
            assertTrue(req.contains("Authorization: Bearer " + t.revokedToken() + "\r\n"));
            assertTrue(resp.contains("WWW-Authenticate: Bearer error=\"invalid_token\""));
            assertTrue(e.getValue().get(0).tsNanos() >= revokedNs);
          }
        }
        assertEquals(n, responses, "every request answered");
      }
    }
    assertEquals(t.connections(), connections);
    assertEquals(t.incidents().resets(), resets);
    assertEquals(1, resets);
    assertEquals(t.requests(), requests);
    assertEquals(t.unauthorized(), unauthorized);
    assertEquals(t.statusCounts(), statuses);
    assertTrue(t.unauthorized() >= 50, "an investigation-worthy number of 401s: " + t.unauthorized());
    assertTrue(t.statusCounts().keySet().containsAll(List.of(200, 201, 401, 404)), t.statusCounts().toString());
    assertTrue(t.requests() > 500, "a few hours of traffic: " + t);
    assertTrue(t.firstUnauthorizedNanos() >= revokedNs);
    assertTrue(t.revokedToken().matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"));
    long spanNs = packets.get(packets.size() - 1).tsNanos() - packets.get(0).tsNanos();
    assertTrue(spanNs > Duration.ofMinutes(170).toNanos(), "spans the hours: " + spanNs);
    assertFalse(t.statusCounts().containsKey(500));
  }

  private static int count(Matcher m) {
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
