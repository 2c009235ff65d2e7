package io.pcaplake.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.capture.FileByteSource;
import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.LocalFlows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The {@code http} table against tshark's oracle ({@code <shared>/pcaps/oracle/<name>.requests.tsv} and
 * {@code .responses.tsv}): per capture, the multiset of (method, uri, status_code) of our exchanges against the
 * exchanges made by pairing tshark's requests and final (non-1xx) responses in order on each tcp.stream. Every
 * difference is listed in {@link #EXPLAINED} with its reason (see docs/http.md, "Oracle differences").
 */
class HttpOracleTest {
  /** name -> {exact expected difference ("+x" ours only, "-x" tshark only, sorted), reason}. */
  static final Map<String, String[]> EXPLAINED = new TreeMap<>(Map.ofEntries(
      Map.entry("http-gap-double-null", new String[] {"+GET|/2|200 -GET|/2|",
          "tshark wrong: two gaps (28 bytes) inside the body of /2's response make tshark drop that response PDU;"
              + " we keep it with gap_bytes=28 (a gap inside a body is accounted, not fatal)"}),
      Map.entry("http-gap-simple-null", new String[] {"+GET|/2|200 -GET|/2|",
          "tshark wrong: a 14-byte gap inside the body of /2's response makes tshark drop that response PDU;"
              + " we keep it with gap_bytes=14"}),
      Map.entry("http-on-port-22-dissected-as-ssh", new String[] {"+GET|/|200",
          "tshark wrong: port 22 is dissected as SSH, so tshark decodes no HTTP; we detect HTTP by content"}),
      Map.entry("http09-requests-no-version", new String[] {"+GET|/zeek.html| +POST|/zeek.html|",
          "tshark wrong: it decodes no HTTP/0.9 request; ours are two HTTP/0.9 exchanges (no status line, so"
              + " status_code is null)"}),
      Map.entry("http-retrans-chunked-keepalive", new String[] {"-||200 -||200",
          "tshark wrong: retransmitted response segments (frames 42 and 86) are decoded a second time as responses"
              + " without request_in; the reassembler delivers each byte once"}),
      Map.entry("http-snaplen96-cut", new String[] {"-GET|/images/sf.net_box.gif|200",
          "our known gap (docs/http.md): snaplen 96 leaves 30 payload bytes per packet, the request line is cut"
              + " before its line end, so content detection never sees a request line and the connection is not"
              + " HTTP; tshark decodes the fragments"})
  ));

  static Path sharedPcaps() {
    String shared = System.getProperty("pcaplake.shared");
    Path dir = shared == null ? null : Path.of(shared, "pcaps");
    return dir != null && Files.isDirectory(dir) ? dir : null;
  }

  @Test
  void matchesTshark() throws IOException {
    Path dir = sharedPcaps();
    Assumptions.assumeTrue(dir != null, "SKIPPED: shared captures not found (pcaplake.shared="
        + System.getProperty("pcaplake.shared") + ")");
    List<String> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.map(p -> p.getFileName().toString()).filter(n -> n.matches(".*\\.pcap(ng)?(\\.gz)?$")).sorted()
          .toList();
    }
    long matched = 0;
    long total = 0;
    List<String> failures = new ArrayList<>();
    for (String file : files) {
      String name = file.replaceAll("\\.pcap(ng)?(\\.gz)?$", "");
      List<HttpRecord> rows = new ArrayList<>();
      List<AnomalyRecord> anomalies = new ArrayList<>();
      LocalFlows.run(List.of(file), List.of(new FileByteSource(dir.resolve(file))), null,
          fa -> HttpStage.attach(fa, SecretsOptions.defaults(), rows::add, anomalies::add));
      Map<String, Integer> ours = new TreeMap<>();
      for (HttpRecord r : rows) {
        ours.merge(triple(r.method(), r.uri(), r.statusCode() == null ? "" : r.statusCode().toString()), 1,
            Integer::sum);
      }
      Map<String, Integer> theirs = tshark(dir.resolve("oracle"), name);
      long common = 0;
      List<String> diff = new ArrayList<>();
      for (String k : union(ours, theirs)) {
        int a = ours.getOrDefault(k, 0);
        int b = theirs.getOrDefault(k, 0);
        common += Math.min(a, b);
        for (int i = b; i < a; i++) {
          diff.add("+" + k);
        }
        for (int i = a; i < b; i++) {
          diff.add("-" + k);
        }
      }
      diff.sort(Comparator.naturalOrder());
      long size = Math.max(count(ours), count(theirs));
      matched += common;
      total += size;
      String got = String.join(" ", diff);
      String[] exp = EXPLAINED.get(name);
      String want = exp == null ? "" : exp[0];
      if (!got.equals(want)) {
        failures.add(name + ": ours " + count(ours) + " tshark " + count(theirs) + " diff [" + got + "] expected ["
            + want + "]");
      }
    }
    double rate = total == 0 ? 1 : (double) matched / total;
    System.out.printf("http oracle: %d of %d exchanges match tshark (%.2f%%) over %d captures%n", matched, total,
        100 * rate, files.size());
    failures.forEach(f -> System.out.println("UNEXPLAINED " + f));
    assertEquals(List.of(), failures, "unexplained differences");
    assertTrue(rate >= 0.99, "match rate " + rate);
  }

  static String triple(String method, String uri, String status) {
    return (method == null ? "" : method) + "|" + (uri == null ? "" : uri) + "|" + status;
  }

  static long count(Map<String, Integer> m) {
    return m.values().stream().mapToLong(Integer::longValue).sum();
  }

  static List<String> union(Map<String, Integer> a, Map<String, Integer> b) {
    TreeMap<String, Integer> u = new TreeMap<>(a);
    u.putAll(b);
    return new ArrayList<>(u.keySet());
  }

  /** tshark's exchanges: per tcp.stream, requests and final responses (code >= 200) paired in frame order. */
  static Map<String, Integer> tshark(Path oracle, String name) throws IOException {
    Map<String, List<String[]>> req = byStream(oracle.resolve(name + ".requests.tsv"));
    Map<String, List<String[]>> resp = byStream(oracle.resolve(name + ".responses.tsv"));
    Map<String, Integer> out = new TreeMap<>();
    TreeMap<String, Boolean> streams = new TreeMap<>();
    req.keySet().forEach(k -> streams.put(k, true));
    resp.keySet().forEach(k -> streams.put(k, true));
    for (String st : streams.keySet()) {
      List<String[]> q = req.getOrDefault(st, List.of());
      List<String[]> r = new ArrayList<>();
      for (String[] x : resp.getOrDefault(st, List.of())) {
        String code = x[7];
        if (!(code.length() == 3 && code.charAt(0) == '1')) {
          r.add(x);
        }
      }
      // tshark's own pairing first (response.request_in = request frame; several requests in one frame in file
      // order), then responses without request_in to the earliest unpaired request before them.
      String[][] pairedWith = new String[q.size()][];
      List<String[]> leftover = new ArrayList<>();
      for (String[] x : r) {
        int at = -1;
        for (int i = 0; i < q.size() && !x[16].isEmpty(); i++) {
          if (pairedWith[i] == null && q.get(i)[0].equals(x[16])) {
            at = i;
            break;
          }
        }
        if (at >= 0) {
          pairedWith[at] = x;
        } else {
          leftover.add(x);
        }
      }
      for (String[] x : leftover) {
        int at = -1;
        for (int i = 0; i < q.size(); i++) {
          if (pairedWith[i] == null && Long.parseLong(q.get(i)[0]) <= Long.parseLong(x[0])) {
            at = i;
            break;
          }
        }
        if (at >= 0) {
          pairedWith[at] = x;
        } else {
          out.merge(triple(null, null, x[7]), 1, Integer::sum);
        }
      }
      for (int i = 0; i < q.size(); i++) {
        out.merge(triple(q.get(i)[7], q.get(i)[9], pairedWith[i] == null ? "" : pairedWith[i][7]), 1,
            Integer::sum);
      }
    }
    return out;
  }

  private static Map<String, List<String[]>> byStream(Path tsv) throws IOException {
    Map<String, List<String[]>> m = new TreeMap<>();
    if (!Files.exists(tsv)) {
      return m;
    }
    List<String> lines = Files.readAllLines(tsv);
    List<String[]> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (!lines.get(i).isEmpty()) {
        rows.add(lines.get(i).split("\t", -1));
      }
    }
    // stable sort by frame number: rows of one frame keep file order
    rows.sort(Comparator.comparingLong(x -> Long.parseLong(x[0])));
    for (String[] x : rows) {
      m.computeIfAbsent(x[1], k -> new ArrayList<>()).add(x);
    }
    return m;
  }
}
