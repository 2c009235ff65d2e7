package io.pcaplake.flow;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.capture.FileByteSource;
import io.pcaplake.tcp.DirectionStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The accounting identities ({@code docs/accounting.md}) on every capture of the shared corpus: records read =
 * decoded + unsupported + malformed; per connection direction, payload seen = delivered + retransmitted +
 * conflicting + dropped + uncaptured; and the reassembler saw exactly the payload the decoder fed it.
 */
class AccountingSharedTest {

  static Stream<String> captures() throws IOException {
    Path dir = Path.of(System.getProperty("pcaplake.shared", "../shared"), "pcaps");
    if (!Files.isDirectory(dir)) {
      return Stream.of("");
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<String> names = s.map(p -> p.getFileName().toString())
          .filter(n -> !n.equals("MANIFEST.tsv") && !n.equals("README.md") && !n.startsWith("."))
          .filter(n -> Files.isRegularFile(dir.resolve(n))).sorted().toList();
      return names.stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void identitiesHold(String name) throws IOException {
    Path dir = Path.of(System.getProperty("pcaplake.shared", "../shared"), "pcaps");
    Assumptions.assumeTrue(!name.isEmpty(), "no shared corpus at " + dir.toAbsolutePath()
        + " (set -Dpcaplake.shared)");
    Accounting.FileAccount a = Accounting.of(new FileByteSource(dir.resolve(name)));
    a.assertBalanced(name);
    // Delivered + missing is each stream's length; nothing delivered that no segment carried.
    assertTrue(a.sum(DirectionStats::bytes) <= a.payloadFed(), name);
    assertTrue(a.records().packets() <= a.records().read(), name);
  }
}
