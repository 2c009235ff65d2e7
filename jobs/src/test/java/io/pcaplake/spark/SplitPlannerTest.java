package io.pcaplake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestCaptures;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing and split planning, without Spark. */
class SplitPlannerTest {
  static final long K64 = 64 * 1024;
  @TempDir static Path dir;
  static final Configuration CONF = new Configuration();

  @BeforeAll
  static void files() throws Exception {
    try (OutputStream out = Files.newOutputStream(dir.resolve("big.pcap"))) {
      TestCaptures.writeBulk(out, 3 * K64 + 1000);
    }
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("big.pcap.gz")))) {
      TestCaptures.writeBulk(out, 10 * K64);
    }
    Files.createDirectories(dir.resolve("sub/.hidden"));
    for (String small : List.of("sub/a.pcap", "sub/b.pcapng", "sub/.hidden/c.pcap", "sub/_SUCCESS")) {
      try (OutputStream out = Files.newOutputStream(dir.resolve(small))) {
        TestCaptures.writeBulk(out, 1000);
      }
    }
  }

  @Test
  void listsRecursivelySkipsHiddenAndExpandsGlobs() {
    List<String> names = CaptureLister.list(List.of(dir.toString()), CONF).stream()
        .map(f -> f.path().substring(f.path().indexOf(dir.getFileName().toString()) + dir.getFileName().toString().length()))
        .toList();
    assertEquals(List.of("/big.pcap", "/big.pcap.gz", "/sub/a.pcap", "/sub/b.pcapng"), names);
    assertEquals(2, CaptureLister.list(List.of(dir + "/sub/*.pcap*"), CONF).size());
    assertEquals(1, CaptureLister.list(List.of(dir + "/big.pcap", dir + "/big.pcap"), CONF).size(), "deduplicated");
  }

  @Test
  void uncompressedFilesSplitCompressedStayWholeSmallFilesPack() {
    List<CaptureFile> files = CaptureLister.list(List.of(dir.toString()), CONF);
    List<CaptureSplit> splits = new SplitPlanner(K64, 0, CONF).split(files);
    List<CaptureSplit> big = splits.stream().filter(s -> s.path().endsWith("big.pcap")).toList();
    assertEquals(4, big.size(), big.toString());
    for (int i = 0; i < big.size(); i++) {
      assertEquals(i * K64, big.get(i).start());
      assertEquals(Math.min(big.get(i).fileLength(), (i + 1) * K64), big.get(i).end());
    }
    List<CaptureSplit> gz = splits.stream().filter(s -> s.path().endsWith(".gz")).toList();
    assertEquals(1, gz.size(), "compressed: read whole");
    assertEquals(gz.get(0).fileLength(), gz.get(0).end());

    CaptureFile located = new CaptureFile("x", 3 * K64, List.of(new CaptureFile.Block(0, 2 * K64, List.of("dn1")),
        new CaptureFile.Block(2 * K64, K64, List.of("dn2", "dn3"))));
    assertEquals(List.of("dn1"), located.hostsAt(K64));
    assertEquals(List.of("dn2", "dn3"), located.hostsAt(2 * K64));
    assertEquals(List.of(), located.hostsAt(3 * K64));
    assertEquals(List.of("dn2", "dn3"), List.of(new PcapInputPartition(List.of(
        new CaptureSplit("x", 3 * K64, 0, 10, List.of("dn1")),
        new CaptureSplit("x", 3 * K64, 2 * K64, 3 * K64, located.hostsAt(2 * K64)))).preferredLocations()));

    List<PcapInputPartition> partitions = new SplitPlanner(K64, 0, CONF).plan(files);
    assertEquals(splits.size(), partitions.stream().mapToInt(p -> p.splits().size()).sum());
    assertTrue(partitions.stream().anyMatch(p -> p.splits().stream().anyMatch(s -> s.path().endsWith("a.pcap"))
        && p.splits().stream().anyMatch(s -> s.path().endsWith("b.pcapng"))), "the small files share a task: "
        + partitions);
    List<PcapInputPartition> costly = new SplitPlanner(K64, K64, CONF).plan(files);
    assertEquals(splits.size(), costly.size(), "an open cost of a whole split keeps every file apart");
  }
}
