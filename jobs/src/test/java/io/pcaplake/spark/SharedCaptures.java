package io.pcaplake.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The shared real captures ({@code -Dpcaplake.shared}/pcaps) and their MANIFEST rows; tests skip when absent. */
final class SharedCaptures {
  private SharedCaptures() { }

  /** One MANIFEST row: name, file, format column, packets column. */
  record Entry(String name, Path file, String format, long packets) {
    /** capinfos could not read it: its packet count is what tshark got before stopping. */
    boolean unreadable() {
      return format.startsWith("unreadable");
    }
  }

  static Path dir() {
    String shared = System.getProperty("pcaplake.shared");
    assumeTrue(shared != null, "system property pcaplake.shared not set: shared captures skipped");
    Path dir = Path.of(shared, "pcaps");
    assumeTrue(Files.isRegularFile(dir.resolve("MANIFEST.tsv")), "no " + dir + "/MANIFEST.tsv: shared captures skipped");
    return dir;
  }

  static Map<String, Entry> manifest() {
    Path dir = dir();
    Map<String, Entry> entries = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      Map<String, Path> byName = new LinkedHashMap<>();
      files.filter(Files::isRegularFile).forEach(f -> byName.put(nameOf(f), f));
      List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("MANIFEST.tsv")));
      String[] header = lines.remove(0).split("\t");
      int name = col(header, "name");
      int format = col(header, "format");
      int packets = col(header, "packets");
      for (String line : lines) {
        String[] c = line.split("\t");
        Path f = byName.get(c[name]);
        if (f != null) {
          entries.put(c[name], new Entry(c[name], f, c[format], Long.parseLong(c[packets])));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }

  /** The MANIFEST name: the file name up to ".pcap". */
  static String nameOf(Path f) {
    String n = f.getFileName().toString();
    int i = n.indexOf(".pcap");
    return i < 0 ? n : n.substring(0, i);
  }

  private static int col(String[] header, String name) {
    for (int i = 0; i < header.length; i++) {
      if (header[i].equals(name)) {
        return i;
      }
    }
    throw new IllegalStateException("MANIFEST.tsv has no column " + name);
  }
}
