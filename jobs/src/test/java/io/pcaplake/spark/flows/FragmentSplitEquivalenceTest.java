package io.pcaplake.spark.flows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestSpark;
import io.pcaplake.capture.PcapWriter;
import io.pcaplake.local.CaptureInput;
import io.pcaplake.local.LocalEngine;
import io.pcaplake.local.LocalOptions;
import io.pcaplake.local.ParquetTables;
import io.pcaplake.packet.PacketReasons;
import io.pcaplake.synth.CaptureFiles;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.Fragments;
import io.pcaplake.synth.Frames;
import io.pcaplake.synth.HttpTraffic;
import io.pcaplake.synth.SynthPacket;
import io.pcaplake.synth.TcpConversation;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IP fragments do not depend on the split size or the engine ({@code docs/anomalies.md}, "IP fragments and splits"):
 * two captures whose HTTP responses travel in fragmented TCP segments, many of them straddling 16 KiB split
 * boundaries, one datagram timed out by a later fragment across a boundary, and one datagram per file still open
 * when the file ends, give the same {@code flows}, {@code http} and {@code anomalies} rows read whole by the Spark
 * job, with 16 KiB splits, and by the local engine; every fragmented segment is reassembled (no missing bytes) and
 * every open datagram is reported once.
 */
class FragmentSplitEquivalenceTest {
  static final Instant START = Instant.parse("2026-11-29T00:00:00Z");
  static final long T0 = START.getEpochSecond() * 1_000_000_000L + 3_600_000_000_000L;
  static final int SPLIT = 16 << 10;
  static final int ETHERNET = 14;
  @TempDir
  Path dir;

  @Test
  void fragmentsGiveTheSameRowsWholeSplitAndLocal() throws Exception {
    Capture a = capture(10, 1, T0);
    Capture b = capture(4, 2, T0 + 1_000_000_000L);
    Path fa = dir.resolve("in/a.pcap");
    Path fb = dir.resolve("in/b.pcap");
    java.nio.file.Files.createDirectories(fa.getParent());
    java.nio.file.Files.write(fa, a.bytes);
    java.nio.file.Files.write(fb, b.bytes);
    assertTrue(a.straddling >= 3, "datagrams straddling a 16 KiB boundary in a.pcap: " + a.straddling);
    assertTrue(a.timeoutStraddles && b.timeoutStraddles,
        "the fragment that times a datagram out lies in another 16 KiB split than the datagram's");

    List<String> paths = List.of(fa.toString(), fb.toString());
    SparkSession spark = TestSpark.get();
    FlowsSummary whole = FlowsJob.run(spark, options(paths, "whole", null));
    FlowsSummary split = FlowsJob.run(spark, options(paths, "split", (long) SPLIT));
    try (ParquetTables tables = new ParquetTables(dir.resolve("local").toString(), "frag", "2026-11-29",
        new Configuration())) {
      List<CaptureInput> inputs = new ArrayList<>(List.of(CaptureInput.of(fa), CaptureInput.of(fb)));
      inputs.sort(Comparator.comparing(CaptureInput::name));
      LocalEngine.run(inputs, LocalOptions.defaults(), tables);
    }
    assertEquals(0, whole.accounting().unaccountedRecords(), "whole: records");
    assertEquals(0, split.accounting().unaccountedRecords(), "split: records");
    assertEquals(whole.accounting(), split.accounting(), "record and payload accounting, whole vs split");

    for (String table : ParquetTables.TABLES) {
      Dataset<Row> w = spark.read().parquet(dir.resolve("whole").resolve(table).toString());
      Dataset<Row> s = spark.read().parquet(dir.resolve("split").resolve(table).toString());
      Dataset<Row> l = spark.read().parquet(dir.resolve("local").resolve(table).toString());
      same(table + ": whole vs 16 KiB splits", w, s);
      same(table + ": whole vs local engine", w, l);
    }

    Dataset<Row> flows = spark.read().parquet(dir.resolve("split/flows").toString());
    int conversations = a.conversations + b.conversations;
    assertEquals(conversations, flows.count(), "one flow per conversation (the open datagrams never reach TCP)");
    assertEquals(0L, flows.agg(org.apache.spark.sql.functions.sum("missing_bytes")).first().getLong(0),
        "every fragmented segment reassembled: no connection has a gap");
    Dataset<Row> http = spark.read().parquet(dir.resolve("split/http").toString());
    assertEquals(conversations, http.filter("status_code = 200 and response_complete").count(), "http exchanges");
    assertEquals(conversations, http.filter("response_body_bytes = 6000").count(), "whole response bodies");

    List<Row> incomplete = spark.read().parquet(dir.resolve("split/anomalies").toString())
        .filter("reason = '" + PacketReasons.FRAGMENT_INCOMPLETE + "'")
        .select("capture_file", "record_index", "ts", "detail").orderBy("capture_file", "record_index")
        .collectAsList();
    assertEquals(4, incomplete.size(), "per file one timed out, one open at its end: " + incomplete);
    Capture[] captures = {a, b};
    for (int f = 0; f < 2; f++) {
      Row timedOut = incomplete.get(2 * f);
      Row open = incomplete.get(2 * f + 1);
      assertTrue(timedOut.getString(3).contains("id 7001") && timedOut.getString(3).contains("timed out"),
          timedOut.toString());
      assertEquals(captures[f].timedOutOffset, timedOut.getLong(1), "reported at its first fragment");
      assertTrue(!timedOut.isNullAt(2), "a timeout has the time of the fragment that decided it");
      assertTrue(open.getString(3).contains("id 7002") && open.getString(3).endsWith("still incomplete at end of input"),
          open.toString());
      assertEquals(captures[f].openOffset, open.getLong(1), "reported at its first fragment");
      assertTrue(open.isNullAt(2), "an end-of-file report has no record time: " + open);
    }
    assertEquals(0, spark.read().parquet(dir.resolve("split/anomalies").toString())
        .filter("reason like 'tcp.%'").count(), "no TCP anomaly: the fragments rebuilt every segment");
  }

  @Test
  void deferredSplitReadersHandOnEveryFragmentRecordAndRaiseNoFragmentProblem() throws Exception {
    Capture a = capture(3, 3, T0);
    Path fa = dir.resolve("a.pcap");
    java.nio.file.Files.write(fa, a.bytes);
    SparkSession spark = TestSpark.get();
    Dataset<Row> rows = spark.read().format("pcap").option("rows", "segments").option("fragments", "defer")
        .option("maxPartitionBytes", "16k").load(fa.toString());
    assertTrue(rows.rdd().getNumPartitions() > 1, "the capture is read in several splits");
    assertEquals(a.fragmentRecords, rows.filter("kind = 'fragment'").count(), "one fragment row per fragment record");
    assertEquals(a.fragmentRecords, rows.filter("kind = 'fragment' and ts_ns is null and last_ts_ns is not null"
        + " and link_type = 1 and fcs_len = 0 and caplen = length(payload) and frame_len = caplen").count());
    assertEquals(0, rows.filter("kind = 'problem' and reason like 'packet.fragment%'").count(),
        "the split readers reassemble nothing, so they report no fragment problem");
    // The default (fragments=split) reassembles within each split: fewer fragments become segments there.
    long splitSegments = spark.read().format("pcap").option("rows", "segments").option("maxPartitionBytes", "16k")
        .load(fa.toString()).filter("kind = 'segment'").count();
    long deferredSegments = rows.filter("kind = 'segment'").count();
    assertTrue(splitSegments > deferredSegments, splitSegments + " vs " + deferredSegments);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> spark.read().format("pcap").option("fragments", "defer").load(fa.toString()).count());
    assertTrue(e.getMessage().contains("fragments=defer is only supported with rows=segments"), e.getMessage());
  }

  private static void same(String what, Dataset<Row> x, Dataset<Row> y) {
    assertEquals(x.count(), y.count(), what + ": rows");
    List<Row> onlyX = x.exceptAll(y).limit(5).collectAsList();
    List<Row> onlyY = y.exceptAll(x).limit(5).collectAsList();
    assertEquals(List.of(), onlyX, what + ": rows only in the first; only in the second: " + onlyY);
    assertEquals(List.of(), onlyY, what + ": rows only in the second");
  }

  private FlowsOptions options(List<String> paths, String out, Long splitSize) {
    return new FlowsOptions(paths, dir.resolve(out).toString(), "", splitSize, "frag-" + out, "pcaplake flows", START);
  }

  /** A capture and what the test needs to know of its layout. */
  record Capture(byte[] bytes, int conversations, int straddling, boolean timeoutStraddles, long timedOutOffset,
                 long openOffset, int fragmentRecords) { }

  /**
   * {@code n} HTTP conversations one after the other, each server data segment sent as IPv4 fragments of 512 bytes
   * (every third datagram's fragments in reverse order); after them a lone first fragment, 31 s of silence, a second
   * conversation round whose fragments time it out; and a last datagram whose final fragment never comes.
   */
  private static Capture capture(int n, int net, long t0) throws Exception {
    List<SynthPacket> packets = new ArrayList<>();
    long ts = t0;
    int datagrams = 0;
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < n; i++) {
        TcpConversation c = TcpConversation.between(InetAddress.getByName("10." + net + ".0." + (i + 1)),
                40000 + round * 100 + i, InetAddress.getByName("10." + net + ".1.1"), 80)
            .start(ts).ipId(1000 + 97 * i + 5000 * round).open().handshake()
            .clientSends(HttpTraffic.request("GET", "/r" + round + "/" + i, "example.test", List.of(), new byte[0]))
            .serverSends(HttpTraffic.response(200, "OK", List.of(), body(6000, i)))
            .fin();
        for (SynthPacket p : c.packets()) {
          if (p.frame().length > 600) {
            List<byte[]> pieces = fragments(p.frame(), 512);
            if (datagrams++ % 3 == 2) {
              java.util.Collections.reverse(pieces);
            }
            long t = p.tsNanos();
            for (byte[] f : pieces) {
              packets.add(new SynthPacket(t++, p.linkType(), f, f.length));
            }
          } else {
            packets.add(p);
          }
        }
        ts = c.clock() + 1_000_000L;
      }
      if (round == 0) {
        packets.add(lonePieces(net, 7001, ts).get(0));  // its other fragments never come: times out
        // Non-IP records up to the next split boundary, so that the fragment that times it out lies in another split.
        long boundary = (size(packets) / SPLIT + 1) * SPLIT;
        while (size(packets) < boundary) {
          byte[] arp = Frames.ethernet(-1L, 0x0200_0000_0001L, new int[0], 0x0806, new byte[1000]);
          packets.add(new SynthPacket(ts + packets.size(), 1, arp, arp.length));
        }
        ts += 31_000_000_000L;
      }
    }
    List<SynthPacket> last = lonePieces(net, 7002, ts);
    packets.addAll(last.subList(0, last.size() - 1));  // the last fragment never comes: open at the end of the file
    byte[] bytes = CaptureFiles.bytes(Format.PCAP, packets);
    // Record offsets, to check the layout the test relies on.
    long[] offsets = new long[packets.size()];
    long off = PcapWriter.FILE_HEADER_LENGTH;
    for (int i = 0; i < packets.size(); i++) {
      offsets[i] = off;
      off += PcapWriter.RECORD_HEADER_LENGTH + packets.get(i).frame().length;
    }
    assertEquals(bytes.length, off, "record layout");
    int straddling = 0;
    int fragmentRecords = 0;
    int first = -1;
    long timedOut = -1;
    long open = -1;
    Boolean timeoutStraddles = null;
    for (int i = 0; i < packets.size(); i++) {
      byte[] f = packets.get(i).frame();
      if (!isFragment(f)) {
        continue;
      }
      fragmentRecords++;
      int id = ((f[ETHERNET + 4] & 0xff) << 8) | (f[ETHERNET + 5] & 0xff);
      if (timedOut >= 0 && timeoutStraddles == null && id != 7001) {
        // The first fragment after the lone one: it times the lone one out.
        timeoutStraddles = timedOut / SPLIT != offsets[i] / SPLIT;
      }
      if (id == 7001) {
        timedOut = offsets[i];
      } else if (id == 7002 && open < 0) {
        open = offsets[i];
      }
      if (first < 0 || !sameDatagram(packets.get(first).frame(), f)) {
        first = i;
      } else if (offsets[i - 1] / SPLIT != offsets[i] / SPLIT) {
        straddling++;
      }
    }
    return new Capture(bytes, 2 * n, straddling, Boolean.TRUE.equals(timeoutStraddles), timedOut, open,
        fragmentRecords);
  }

  /** The file size once {@code packets} are written. */
  private static long size(List<SynthPacket> packets) {
    long n = PcapWriter.FILE_HEADER_LENGTH;
    for (SynthPacket p : packets) {
      n += PcapWriter.RECORD_HEADER_LENGTH + p.frame().length;
    }
    return n;
  }

  private static boolean isFragment(byte[] f) {
    return f.length > ETHERNET + 8 && (((f[ETHERNET + 6] & 0x3f) | f[ETHERNET + 7]) != 0);
  }

  private static boolean sameDatagram(byte[] x, byte[] y) {
    return Arrays.equals(x, ETHERNET + 4, ETHERNET + 6, y, ETHERNET + 4, ETHERNET + 6)
        && Arrays.equals(x, ETHERNET + 12, ETHERNET + 20, y, ETHERNET + 12, ETHERNET + 20);
  }

  /** The fragments of a TCP data segment of a connection nobody else uses, with IP id {@code id}. */
  private static List<SynthPacket> lonePieces(int net, int id, long ts) throws Exception {
    TcpConversation c = TcpConversation.between(InetAddress.getByName("10." + net + ".9.9"), 50000 + id,
            InetAddress.getByName("10." + net + ".1.1"), 8080)
        .start(ts).ipId(id).open();
    c.clientSends(body(1400, id));
    SynthPacket p = c.packets().get(0);
    List<SynthPacket> out = new ArrayList<>();
    long t = ts;
    for (byte[] f : fragments(p.frame(), 512)) {
      out.add(new SynthPacket(t++, p.linkType(), f, f.length));
    }
    return out;
  }

  /** An Ethernet frame's IPv4 datagram cut into fragments of {@code size} bytes, each behind the frame's header. */
  private static List<byte[]> fragments(byte[] frame, int size) {
    byte[] datagram = Arrays.copyOfRange(frame, ETHERNET, frame.length);
    List<byte[]> out = new ArrayList<>();
    for (byte[] f : Fragments.ipv4(datagram, size)) {
      out.add(HttpTraffic.concat(Arrays.copyOfRange(frame, 0, ETHERNET), f));
    }
    return out;
  }

  private static byte[] body(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + (i * 7 + seed) % 26);
    }
    return b;
  }
}
