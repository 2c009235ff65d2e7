package io.pcaplake.spark.report;

import io.pcaplake.TestSpark;
import io.pcaplake.http.Secrets;
import io.pcaplake.spark.flows.FlowsJob;
import io.pcaplake.spark.flows.FlowsOptions;
import io.pcaplake.synth.CaptureFiles;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.HttpTraffic;
import io.pcaplake.synth.SampleCapture;
import io.pcaplake.synth.TcpConversation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The lake the report tests read, built once per test JVM with the flows job: the demo sample shifted to run from
 * 2024-03-12 22:30 to 2024-03-13 01:30 UTC (so it spans two days; its offending client's token is revoked at
 * 23:30), plus one hostile client at 2024-03-12 23:10 whose URI, Host, User-Agent and token carry markup.
 */
final class ReportLake {
  private ReportLake() { }

  static final Instant START = Instant.parse("2024-03-12T22:30:00Z");
  static final String DAY1 = "2024-03-12";
  static final String DAY2 = "2024-03-13";
  static final String HOSTILE_CLIENT = "10.6.6.6";
  static final String HOSTILE_PATH = "/x<script>alert(1)</script>\"&</svg><svg/onload=alert(2)>";
  static final String HOSTILE_HOST = "evil\"<script>alert(3)</script>&</svg>.test";
  static final String HOSTILE_UA = "Mozilla/5.0 <script>alert(4)</script> \"quoted\" & </svg><img src=x onerror=alert(5)>";
  static final String HOSTILE_TOKEN = "t0k<script>alert(6)</script>";

  record Built(Path root, Path input, FlowsOptions flows, SampleCapture.Truth truth) {
    String lake() {
      return flows.out();
    }
  }

  private static Built built;

  static synchronized Built get() {
    if (built == null) {
      try {
        Path root = Files.createTempDirectory("pcaplake-report-lake");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
        built = build(root);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return built;
  }

  static SampleCapture.Options sampleOptions() {
    return new SampleCapture.Options(20240312L, START, Duration.ofHours(3), 6, START.plus(Duration.ofHours(1)));
  }

  private static Built build(Path root) throws IOException {
    Path in = root.resolve("captures");
    Files.createDirectories(in);
    SampleCapture.Truth truth = SampleCapture.write(in.resolve("sample.pcapng"), Format.PCAPNG, sampleOptions());
    long t = Instant.parse("2024-03-12T23:10:00Z").getEpochSecond() * 1_000_000_000L;
    List<HttpTraffic.Header> headers = List.of(HttpTraffic.header("User-Agent", HOSTILE_UA),
        HttpTraffic.bearer(HOSTILE_TOKEN));
    CaptureFiles.write(in.resolve("hostile.pcap"), Format.PCAP,
        TcpConversation.between(InetAddress.getByName(HOSTILE_CLIENT), 50000, InetAddress.getByName("10.0.0.10"),
                8000).start(t).open().handshake()
            .clientSends(HttpTraffic.request("GET", HOSTILE_PATH, HOSTILE_HOST, headers, null))
            .serverSends(HttpTraffic.response(500, "Oops <b>", List.of(), HttpTraffic.utf8("<script>x</script>")))
            .clientSends(HttpTraffic.request("GET", HOSTILE_PATH, HOSTILE_HOST, headers, null))
            // No reason phrase: an http.missing_reason anomaly, so the day has an anomaly to chart.
            .serverSends(HttpTraffic.utf8("HTTP/1.1 403\r\nContent-Length: 0\r\n\r\n"))
            .fin().packets());
    FlowsOptions o = new FlowsOptions(List.of(in.toString()), root.resolve("lake").toString(), "", null, "night1",
        "pcaplake flows captures --out lake", Instant.parse("2024-03-14T02:00:00Z"));
    FlowsJob.run(TestSpark.get(), o);
    return new Built(root, in, o, truth);
  }

  private static void delete(Path root) {
    try (java.util.stream.Stream<Path> s = Files.walk(root)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir: best effort
    }
  }

  static String fingerprint(String token) {
    return new Secrets(null).fingerprint(token);
  }
}
