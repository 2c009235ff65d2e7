package io.pcaplake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestSpark;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Every split size yields the same rows as reading each file whole. Rows of IP fragments are compared without their
 * transport columns: the decoder only reassembles fragments that lie in the same split (documented).
 */
class SplitEqualityTest {
  static final StructType FULL = PcapSchemas.packets(true);
  static final Set<String> FRAGMENT_DEPENDENT = Set.of("src_port", "dst_port", "tcp_seq", "tcp_ack", "tcp_flags",
      "tcp_window", "payload_len", "decode_status", "payload");

  /** Files below this size are also read in 1 KiB and 4 KiB splits (hundreds of resyncs per file). */
  static final long SMALL = 1 << 20;

  @Test
  void tinySplitsReadEveryRecordOnceWithoutSpark() {
    Configuration conf = new Configuration();
    int checked = 0;
    List<String> wrong = new ArrayList<>();
    for (SharedCaptures.Entry e : SharedCaptures.manifest().values()) {
      CaptureFile file = new CaptureFile(e.file().toUri().toString(), e.file().toFile().length());
      List<String> whole = read(List.of(new CaptureSplit(file.path(), file.length(), 0, file.length())), conf);
      long[] sizes = file.length() < SMALL ? new long[] {1024, 4096, 65536} : new long[] {65536};
      for (long size : sizes) {
        List<CaptureSplit> splits = new SplitPlanner(size, 0, conf).split(List.of(file));
        List<String> union = new ArrayList<>();
        for (CaptureSplit s : splits) {
          union.addAll(read(List.of(s), conf));
        }
        try {
          assertSameRows(whole, union.stream().sorted().toList(),
              e.name() + " split into " + splits.size() + " x " + size + " bytes");
        } catch (AssertionError failure) {
          wrong.add(failure.getMessage());
          break;
        }
      }
      checked++;
    }
    assertEquals(List.of(), wrong, "files whose split reads differ from the whole-file read");
    assertTrue(checked > 40, "only " + checked + " shared captures found");
  }

  /** Compares sorted row lists, reporting only the first difference (the lists are long). */
  static void assertSameRows(List<String> expected, List<String> actual, String what) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(expected.get(i), actual.get(i), what + ": sorted row " + i + " (" + expected.size()
          + " expected, " + actual.size() + " read)");
    }
    assertEquals(expected.size(), actual.size(), what + ": row count");
  }

  private static List<String> read(List<CaptureSplit> splits, Configuration conf) {
    List<String> rows = new ArrayList<>();
    PacketPartitionReader reader = new PacketPartitionReader(splits, conf, FULL);
    try {
      while (reader.next()) {
        rows.add(text(reader.get()));
      }
    } finally {
      reader.close();
    }
    rows.sort(null);
    return rows;
  }

  private static String text(InternalRow r) {
    boolean fragment = !r.isNullAt(FULL.fieldIndex("fragment")) && r.getBoolean(FULL.fieldIndex("fragment"));
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < FULL.size(); i++) {
      if (fragment && FRAGMENT_DEPENDENT.contains(FULL.fields()[i].name())) {
        b.append("~|");
        continue;
      }
      Object v = r.isNullAt(i) ? null : r.get(i, FULL.fields()[i].dataType());
      b.append(v instanceof byte[] bytes ? bytes.length + "B#" + Arrays.hashCode(bytes) : String.valueOf(v)).append('|');
    }
    return b.toString();
  }

  @Test
  void sparkSplitSizesGiveTheSameRowsAndManifestCounts() {
    SparkSession spark = TestSpark.get();
    Map<String, SharedCaptures.Entry> manifest = SharedCaptures.manifest();
    String glob = SharedCaptures.dir().toUri() + "*.pcap*";
    String[] columns = {"capture_file", "record_index", "ts_ns", "link_type", "caplen", "len", "ip_version",
        "src_ip", "dst_ip", "protocol", "vlan", "ttl", "fragment",
        "CASE WHEN fragment THEN NULL ELSE concat_ws(',', src_port, dst_port, tcp_seq, tcp_ack, tcp_flags, "
            + "tcp_window, payload_len, decode_status, sha1(payload)) END AS transport"};
    List<String> unsplit = null;
    List<String> wrongCounts = new ArrayList<>();
    for (String size : new String[] {"1g", "64k", "1m", null}) {
      var reader = spark.read().format("pcap").option("payload", "true");
      if (size != null) {
        reader = reader.option("maxPartitionBytes", size);
      }
      var df = reader.load(glob).selectExpr(columns);
      List<String> rows = df.collectAsList().stream().map(Row::toString).sorted().toList();
      if (unsplit == null) {
        unsplit = rows;
        Map<String, Long> counts = new HashMap<>();
        for (Row r : df.groupBy("capture_file").count().collectAsList()) {
          String f = r.getString(0);
          counts.put(SharedCaptures.nameOf(java.nio.file.Path.of(f.substring(f.lastIndexOf('/') + 1))), r.getLong(1));
        }
        for (SharedCaptures.Entry e : manifest.values()) {
          long got = counts.getOrDefault(e.name(), 0L);
          if (e.unreadable() ? got > e.packets() : got != e.packets()) {
            wrongCounts.add(e.name() + ": " + got + " records, MANIFEST packets " + e.packets());
          }
        }
      } else {
        assertSameRows(unsplit, rows, "maxPartitionBytes=" + size);
      }
    }
    assertEquals(List.of(), wrongCounts, "record counts vs MANIFEST");
  }
}
