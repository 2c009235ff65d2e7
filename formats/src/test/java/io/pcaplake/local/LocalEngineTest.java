package io.pcaplake.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.capture.ArrayByteSource;
import io.pcaplake.capture.ByteSource;
import io.pcaplake.filter.CaptureFilter;
import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.flow.FlowId;
import io.pcaplake.flow.LocalFlows;
import io.pcaplake.http.HttpRecord;
import io.pcaplake.http.HttpStage;
import io.pcaplake.http.SecretsOptions;
import io.pcaplake.synth.CaptureFiles;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.HttpTraffic;
import io.pcaplake.synth.SampleCapture;
import io.pcaplake.synth.SynthPacket;
import io.pcaplake.synth.TcpConversation;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local engine against the sorted reference ({@link LocalFlows}: segments sorted by key as the Spark job sorts
 * them, one {@link io.pcaplake.flow.FlowAssembler}): the same connections, http rows and anomalies, on the README's
 * sample and on rotated files; merge order across files; stdin; one thread and two.
 */
class LocalEngineTest {
  @TempDir
  static Path dir;
  static Path sample;
  static SampleCapture.Truth truth;

  @BeforeAll
  static void write() throws Exception {
    sample = dir.resolve("sample.pcapng");
    truth = SampleCapture.write(sample, Format.PCAPNG);
  }

  static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  /** The reference rows of {@code files} (named as CaptureInput.of names them), with the HTTP stage. */
  static Reference reference(List<Path> files, CaptureFilter filter) throws Exception {
    List<String> names = new ArrayList<>();
    List<ByteSource> sources = new ArrayList<>();
    for (Path f : files) {
      CaptureInput in = CaptureInput.of(f);
      names.add(in.name());
      sources.add(in.source());
    }
    List<HttpRecord> http = new ArrayList<>();
    List<AnomalyRecord> httpAnomalies = new ArrayList<>();
    LocalFlows.Result r = LocalFlows.run(names, sources, filter,
        fa -> HttpStage.attach(fa, new SecretsOptions(null, false), http::add, httpAnomalies::add));
    return new Reference(r.connections(), http, r.anomalies(), httpAnomalies);
  }

  record Reference(List<ConnectionRecord> flows, List<HttpRecord> http, List<AnomalyRecord> tcpAnomalies,
                   List<AnomalyRecord> httpAnomalies) { }

  static <T> List<T> sorted(List<T> rows) {
    List<T> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Object::toString));
    return copy;
  }

  static List<CaptureInput> inputs(List<Path> files) {
    return files.stream().map(CaptureInput::of).toList();
  }

  static void assertSameRows(Reference ref, Collected got) {
    assertEquals(ref.flows().size(), got.flows.size(), "connections");
    assertEquals(sorted(ref.flows()), sorted(got.flows), "flows rows");
    assertEquals(sorted(ref.http()), sorted(got.http), "http rows");
    List<AnomalyRecord> tcpAndHttp = got.anomalies.stream().filter(a -> a.flowId() != null).toList();
    List<AnomalyRecord> expected = new ArrayList<>(ref.tcpAnomalies());
    expected.addAll(ref.httpAnomalies());
    assertEquals(sorted(expected), sorted(tcpAndHttp), "tcp and http anomalies");
  }

  @Test
  void sampleGivesTheReferenceRowsOnOneTwoAndFourWorkers() throws Exception {
    Reference ref = reference(List.of(sample), null);
    assertEquals(truth.connections(), ref.flows().size());
    for (int threads : new int[] {1, 2, 4}) {
      Collected got = Collected.run(inputs(List.of(sample)), LocalOptions.defaults().withThreads(threads));
      assertSameRows(ref, got);
      assertEquals(truth.requests(), got.http.size());
      assertEquals(truth.unauthorized(), got.http.stream().filter(h -> Integer.valueOf(401).equals(h.statusCode()))
          .count());
      int sum = got.exchangesByFlow.values().stream().mapToInt(Integer::intValue).sum();
      assertEquals(truth.requests(), sum, "http_exchanges summed over flows");
      assertEquals(List.of(CaptureInput.of(sample).name() + ":" + truth.packets()), got.filesDone);
    }
  }

  @Test
  void filterKeepsWholeConnections() throws Exception {
    CaptureFilter f = CaptureFilter.parse("dst port 8000 and host " + SampleCapture.OFFENDING_CLIENT);
    Reference ref = reference(List.of(sample), f);
    Collected got = Collected.run(inputs(List.of(sample)), LocalOptions.defaults().withFilter(f));
    assertSameRows(ref, got);
    assertTrue(got.http.stream().allMatch(h -> h.clientIp().equals(SampleCapture.OFFENDING_CLIENT)));
    assertTrue(got.http.stream().anyMatch(h -> Integer.valueOf(401).equals(h.statusCode())),
        "responses (from port 8000) kept with their requests");
  }

  /**
   * One keep-alive connection whose packets alternate between two rotated files (and a second connection in the
   * second file only): the merge puts them back in time order, so the connection is one, whole, in both files.
   */
  @Test
  void mergesRotatedFilesInCaptureTimeOrder() throws Exception {
    long t0 = 1_710_230_400_000_000_000L;
    TcpConversation c = TcpConversation.between(ip("10.1.0.1"), 40000, ip("10.1.0.2"), 8000).start(t0)
        .rtt(2_000_000).open().handshake();
    for (int i = 0; i < 6; i++) {
      c.clientSends(HttpTraffic.request("GET", "/r/" + i, "api", List.of(), null));
      c.serverSends(HttpTraffic.response(200, "OK", List.of(), HttpTraffic.utf8("body " + i)));
    }
    c.fin();
    List<SynthPacket> all = c.packets();
    List<SynthPacket> even = new ArrayList<>();
    List<SynthPacket> odd = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      (i % 2 == 0 ? even : odd).add(all.get(i));
    }
    TcpConversation other = TcpConversation.between(ip("10.1.0.3"), 40001, ip("10.1.0.2"), 8000)
        .start(t0 + 1_000_000).open().handshake().clientSends(HttpTraffic.request("GET", "/x", "api", List.of(),
            null)).serverSends(HttpTraffic.response(404, "Not Found", List.of(), new byte[0])).fin();
    List<SynthPacket> second = new ArrayList<>(odd);
    second.addAll(other.packets());
    second.sort(Comparator.comparingLong(SynthPacket::tsNanos));
    Path a = dir.resolve("rot-0.pcap");
    Path b = dir.resolve("rot-1.pcapng");
    CaptureFiles.write(a, Format.PCAP, even);
    CaptureFiles.write(b, Format.PCAPNG, second);

    Reference ref = reference(List.of(a, b), null);
    Collected got = Collected.run(inputs(List.of(a, b)), LocalOptions.defaults());
    assertSameRows(ref, got);
    assertEquals(2, got.flows.size());
    ConnectionRecord whole = got.flows.stream().filter(f -> f.clientPort() == 40000).findFirst().orElseThrow();
    assertEquals(List.of(CaptureInput.of(a).name(), CaptureInput.of(b).name()), whole.captureFiles());
    assertEquals(0, whole.missingBytes());
    assertEquals("SF", whole.connState());
    assertEquals(List.of(0, 1, 2, 3, 4, 5), got.http.stream().filter(h -> h.clientPort() == 40000)
        .map(HttpRecord::exchangeIndex).toList());
    // Given in the other order, the merge still orders by time: the same rows.
    Collected swapped = Collected.run(inputs(List.of(b, a)), LocalOptions.defaults());
    assertEquals(sorted(got.http.stream().map(h -> h.uri() + " " + h.statusCode()).toList()),
        sorted(swapped.http.stream().map(h -> h.uri() + " " + h.statusCode()).toList()));
    assertEquals(2, swapped.flows.size());
  }

  /** Records with equal timestamps in two files: file order, then record offset. */
  @Test
  void equalTimestampsFollowInputOrderThenOffset() throws Exception {
    long t = 1_710_230_400_000_000_000L;
    List<SynthPacket> x = new ArrayList<>();
    List<SynthPacket> y = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      x.add(syn(1000 + i, t));
      y.add(syn(2000 + i, t));
    }
    Path a = dir.resolve("same-ts-a.pcap");
    Path b = dir.resolve("same-ts-b.pcap");
    CaptureFiles.write(a, Format.PCAP, x);
    CaptureFiles.write(b, Format.PCAP, y);
    Collected got = Collected.run(inputs(List.of(a, b)), LocalOptions.defaults().withThreads(1)
        .withFlowLimits(io.pcaplake.flow.FlowTable.Limits.DEFAULTS.withMaxFlows(1)));
    // With one key held at a time, each new key ends the previous one: flows come out in merge order.
    assertEquals(List.of(1000, 1001, 1002, 2000, 2001, 2002),
        got.flows.stream().map(ConnectionRecord::clientPort).toList());
  }

  /** The SYN of a conversation from port {@code port}, stamped {@code ts}. */
  static SynthPacket syn(int port, long ts) throws Exception {
    SynthPacket p = TcpConversation.between(ip("10.2.0.1"), port, ip("10.2.0.2"), 80).start(ts).open().handshake()
        .packets().get(0);
    return new SynthPacket(ts, p.linkType(), p.frame(), p.origlen());
  }

  /**
   * Records out of time order inside one file (every run of 40 records written backwards): the engine puts them back
   * in time order, as the Spark job's sort does, so the rows are the sorted reference's.
   */
  @Test
  void recordsOutOfTimeOrderInAFileAreReordered() throws Exception {
    SampleCapture.Generated g = SampleCapture.generate(SampleCapture.Options.defaults());
    List<SynthPacket> shuffled = new ArrayList<>();
    List<SynthPacket> all = g.packets();
    for (int i = 0; i < all.size(); i += 40) {
      List<SynthPacket> run = new ArrayList<>(all.subList(i, Math.min(all.size(), i + 40)));
      java.util.Collections.reverse(run);
      shuffled.addAll(run);
    }
    Path f = dir.resolve("disorder.pcap");
    CaptureFiles.write(f, Format.PCAP, shuffled);
    Reference ref = reference(List.of(f), null);
    for (int threads : new int[] {1, 2}) {
      Collected got = Collected.run(inputs(List.of(f)), LocalOptions.defaults().withThreads(threads));
      assertSameRows(ref, got);
    }
  }

  @Test
  void readsAStreamLikeAFile() throws Exception {
    for (Format format : Format.values()) {
      Path f = dir.resolve("stream." + format.name().toLowerCase());
      SampleCapture.Generated g = SampleCapture.generate(SampleCapture.Options.defaults());
      byte[] bytes = CaptureFiles.bytes(format, g.packets());
      Files.write(f, bytes);
      Collected fromFile = Collected.run(List.of(CaptureInput.of(f)), LocalOptions.defaults());
      Collected fromStream = Collected.run(List.of(CaptureInput.stream(CaptureInput.of(f).name(),
          new ByteArrayInputStream(bytes))), LocalOptions.defaults());
      assertEquals(truth.connections(), fromStream.flows.size(), format.name());
      assertEquals(sorted(fromFile.flows), sorted(fromStream.flows), format.name());
      assertEquals(sorted(fromFile.http), sorted(fromStream.http), format.name());
    }
  }

  @Test
  void badInputIsAnAnomalyAndTheRunGoesOn() throws Exception {
    byte[] garbage = "this is not a capture at all".getBytes();
    Collected got = Collected.run(List.of(new CaptureInput("junk.bin", new ArrayByteSource("junk.bin", garbage)),
        CaptureInput.of(sample)), LocalOptions.defaults());
    assertEquals(truth.connections(), got.flows.size());
    assertEquals(List.of("capture.not_a_capture"), got.anomalies.stream().filter(a -> a.flowId() == null)
        .map(AnomalyRecord::reason).toList());
    assertEquals("capture", got.anomalies.get(0).layer());
  }

  /**
   * With several workers the sink runs on its own thread: every row still arrives (each connection's http rows before
   * its flow row), and a sink that fails ends the run with its exception instead of hanging the workers.
   */
  @Test
  void theSinkThreadDeliversEveryRowAndItsFailure() throws Exception {
    List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    TableSink recording = new TableSink() {
      @Override
      public void http(io.pcaplake.http.HttpRecord r) {
        calls.add("http " + r.flowId());
      }

      @Override
      public void flow(io.pcaplake.flow.ConnectionRecord c, int n) {
        calls.add("flow " + c.flowId());
      }
    };
    LocalEngine.run(inputs(List.of(sample)), LocalOptions.defaults().withThreads(2), recording);
    assertEquals(truth.connections(), calls.stream().filter(c -> c.startsWith("flow ")).count());
    java.util.Set<String> ended = new java.util.HashSet<>();
    for (String c : calls) {
      String id = c.substring(c.indexOf(' ') + 1);
      if (c.startsWith("flow ")) {
        ended.add(id);
      } else {
        org.junit.jupiter.api.Assertions.assertFalse(ended.contains(id), "http row after its flow row: " + id);
      }
    }
    int[] seen = new int[1];
    TableSink failing = new TableSink() {
      @Override
      public void http(io.pcaplake.http.HttpRecord r) {
        if (++seen[0] == 50) {
          throw new java.io.UncheckedIOException(new java.io.IOException("disk full"));
        }
      }
    };
    java.io.UncheckedIOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
        () -> LocalEngine.run(inputs(List.of(sample)), LocalOptions.defaults().withThreads(2), failing));
    assertEquals("disk full", e.getCause().getMessage());
  }

  /** flow_id is FlowId.of(key, start, index): the same id the Spark engine computes. */
  @Test
  void flowIdsAreTheStableHash() throws Exception {
    Collected got = Collected.run(inputs(List.of(sample)), LocalOptions.defaults().withHttp(false));
    assertEquals(truth.connections(), new HashSet<>(got.flows.stream().map(ConnectionRecord::flowId)
        .collect(Collectors.toList())).size());
    for (ConnectionRecord c : got.flows) {
      assertEquals(FlowId.of(c.key(), c.startTs(), c.connectionIndex()), c.flowId());
    }
  }
}
