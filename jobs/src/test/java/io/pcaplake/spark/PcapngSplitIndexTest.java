package io.pcaplake.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestSpark;
import io.pcaplake.capture.PcapngWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner's split index on a multi-section pcapng (both byte orders, interfaces declared mid-section with other
 * timestamp resolutions and offsets, garbage between blocks): every split after 0 carries a state, and the data
 * source in small partitions returns the same rows as one partition and as splits that walk from the file start.
 */
class PcapngSplitIndexTest {
  @TempDir
  Path dir;

  static void writeMultiSection(Path file, int blocks, long seed) throws IOException {
    Random rnd = new Random(seed);
    try (OutputStream out = Files.newOutputStream(file);
         PcapngWriter w = new PcapngWriter(out, ByteOrder.LITTLE_ENDIAN)) {
      w.addInterface(1, 65535, 6, 0, -1);
      int ifaces = 1;
      long ts = 1_700_000_000_000_000_000L;
      for (int i = 0; i < blocks; i++) {
        ts += rnd.nextInt(50_000_000);
        int kind = rnd.nextInt(60);
        if (kind == 0) {
          w.newSection(rnd.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
          w.addInterface(1, 65535, 9, 0, -1);
          ifaces = 1;
        } else if (kind == 1) {
          w.addInterface(1, 65535, rnd.nextBoolean() ? 3 : 0x80 | 16, rnd.nextInt(1000), rnd.nextBoolean() ? 4 : -1);
          ifaces++;
        } else if (kind == 2) {
          byte[] g = new byte[1 + rnd.nextInt(200)];
          rnd.nextBytes(g);
          w.writeRaw(g, 0, g.length);
        } else {
          int len = 60 + rnd.nextInt(1400);
          byte[] f = new byte[len];
          rnd.nextBytes(f);
          f[12] = 0x08; // Ethernet, IPv4
          f[13] = 0x00;
          f[14] = 0x45;
          w.writeEpb(rnd.nextInt(ifaces), ts, f, 0, len, len);
        }
      }
    }
  }

  @Test
  void smallPartitionsOfAMultiSectionPcapngCarryStatesAndReadTheSameRows() throws IOException {
    Path file = dir.resolve("multi.pcapng");
    writeMultiSection(file, 4000, 7);
    long length = Files.size(file);
    assertTrue(length > 1 << 20, "file " + length);
    Configuration conf = new Configuration();
    List<CaptureSplit> splits = new SplitPlanner(64 << 10, 0, conf)
        .split(List.of(new CaptureFile(file.toUri().toString(), length)));
    assertTrue(splits.size() > 16, "splits " + splits.size());
    assertNull(splits.get(0).state(), "the first split needs no state");
    for (CaptureSplit s : splits.subList(1, splits.size())) {
      assertNotNull(s.state(), "state of " + s);
    }
    // without Spark: each split with its state reads what it reads walking from the file start
    for (CaptureSplit s : splits) {
      assertEquals(rows(s.withoutState(), conf), rows(s, conf), s.toString());
    }

    SparkSession spark = TestSpark.get();
    String[] columns = {"record_index", "ts_ns", "link_type", "caplen", "len", "src_ip", "dst_ip", "protocol",
        "decode_status", "sha1(payload) AS p"};
    List<String> whole = null;
    for (String size : new String[] {"1g", "64k", "100k"}) {
      List<String> got = spark.read().format("pcap").option("payload", "true").option("maxPartitionBytes", size)
          .load(file.toString()).selectExpr(columns).collectAsList().stream().map(Row::toString).sorted().toList();
      if (whole == null) {
        whole = got;
        assertTrue(whole.size() > 3000, "rows " + whole.size());
      } else {
        SplitEqualityTest.assertSameRows(whole, got, "maxPartitionBytes=" + size);
      }
    }
  }

  private static List<String> rows(CaptureSplit split, Configuration conf) {
    List<String> rows = new ArrayList<>();
    PacketPartitionReader reader = new PacketPartitionReader(List.of(split), conf, SplitEqualityTest.FULL);
    try {
      while (reader.next()) {
        var r = reader.get();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < SplitEqualityTest.FULL.size(); i++) {
          Object v = r.isNullAt(i) ? null : r.get(i, SplitEqualityTest.FULL.fields()[i].dataType());
          b.append(v instanceof byte[] bytes ? java.util.Arrays.toString(bytes) : String.valueOf(v)).append('|');
        }
        rows.add(b.toString());
      }
    } finally {
      reader.close();
    }
    return rows;
  }
}
