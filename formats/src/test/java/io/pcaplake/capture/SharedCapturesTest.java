package io.pcaplake.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every capture of the shared corpus: the manifest's packet count and link types, whole and split. */
class SharedCapturesTest {

  static Path pcaps() {
    String shared = System.getProperty("pcaplake.shared", "../shared");
    return Path.of(shared, "pcaps");
  }

  static Stream<Map<String, String>> rows() throws IOException {
    Path manifest = pcaps().resolve("MANIFEST.tsv");
    if (!Files.exists(manifest)) {
      return Stream.of(Map.of());
    }
    List<String> lines = Files.readAllLines(manifest);
    String[] head = lines.get(0).split("\t");
    List<Map<String, String>> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t", -1);
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < head.length; i++) {
        row.put(head[i], f[i]);
      }
      rows.add(row);
    }
    return rows.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void readsLikeTheManifest(Map<String, String> row) throws IOException {
    Assumptions.assumeTrue(!row.isEmpty(), "no shared corpus at " + pcaps().toAbsolutePath()
        + " (set -Dpcaplake.shared)");
    String name = row.get("name");
    Path file;
    try (Stream<Path> s = Files.list(pcaps())) {
      file = s.filter(p -> p.getFileName().toString().startsWith(name + ".")).findFirst().orElseThrow();
    }
    FileByteSource src = new FileByteSource(file);
    Reads.Result whole = Reads.all(src);
    int packets = Integer.parseInt(row.get("packets"));
    assertEquals(packets, whole.records().size(), name + " " + whole.problems());
    if (row.get("format").startsWith("unreadable")) {
      assertFalse(whole.problems().isEmpty(), name + " must report why");
    } else if (!name.contains("truncated")) {
      assertEquals(List.of(), whole.problems(), name);
    }
    Set<Integer> seen = new java.util.TreeSet<>(whole.info().linkTypes());
    whole.records().forEach(r -> assertTrue(seen.contains(r.linkType()), name + " record link type"));
    Set<Integer> manifest = new LinkedHashSet<>();
    for (String lt : row.get("linktypes").split(",")) {
      manifest.add(Integer.parseInt(lt.split(":")[0]));
    }
    assertEquals(new java.util.TreeSet<>(manifest), seen, name + " link types");
    // every non-first split reads its boundary scan (two maximal records before it): tiny splits on small files only
    long[] sizes = Files.size(file) < (512 << 10) ? new long[] {1 << 10, 4 << 10, 64 << 10, 1 << 20}
        : new long[] {64 << 10, 1 << 20, 100_003};
    for (long size : sizes) {
      Reads.assertSame(whole.records(), Reads.bySize(src, size), name + " split size " + size);
    }
  }

  @Test
  void bogusCaplenAndTruncatedFileGiveTheirReasons() throws IOException {
    Path dir = pcaps();
    Assumptions.assumeTrue(Files.exists(dir.resolve("MANIFEST.tsv")), "no shared corpus at " + dir.toAbsolutePath());
    Reads.Result bogus = Reads.all(new FileByteSource(dir.resolve("malformed-pcap-bogus-caplen.pcap")));
    assertEquals(2, bogus.records().size());
    assertEquals(1, bogus.count(CaptureReasons.PCAP_RECORD_TRIMMED), bogus.problems().toString());
    assertEquals(1, bogus.count(CaptureReasons.PCAP_TRUNCATED_RECORD), bogus.problems().toString());
    Reads.Result cut = Reads.all(new FileByteSource(dir.resolve("http-truncated-file-chunked-gzip.pcap")));
    assertEquals(2696, cut.records().size());
    assertEquals(1, cut.count(CaptureReasons.PCAP_TRUNCATED_RECORD));
    assertEquals(1, cut.stats().bytesSkipped());
    Reads.Result version = Reads.all(new FileByteSource(dir.resolve("malformed-pcap-invalid-version.pcap")));
    assertEquals(List.of(CaptureReasons.PCAP_BAD_VERSION),
        version.problems().stream().map(Reads.Problem::reason).toList());
    assertTrue(Arrays.asList("LE").contains(version.info().byteOrder()));
  }
}
