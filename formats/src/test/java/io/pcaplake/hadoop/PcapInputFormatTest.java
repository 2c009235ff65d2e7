package io.pcaplake.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.hadoop.io.LongWritable;
import org.junit.jupiter.api.Test;

/** PcapInputFormat on the local file system, over the shared real captures. */
class PcapInputFormatTest {

  static Path shared(String name) {
    String dir = System.getProperty("pcaplake.shared");
    assumeTrue(dir != null, "system property pcaplake.shared not set: shared captures skipped");
    Path p = Path.of(dir, "pcaps", name);
    assumeTrue(Files.isRegularFile(p), p + " missing: skipped");
    return p;
  }

  /** Reads every split the format plans for {@code file}, in order, as "offset ts caplen origlen link hash" lines. */
  static List<String> readAll(Configuration conf, String file, long maxSplit) throws Exception {
    Job job = Job.getInstance(conf);
    FileInputFormat.addInputPath(job, new org.apache.hadoop.fs.Path(file));
    FileInputFormat.setMaxInputSplitSize(job, maxSplit);
    FileInputFormat.setMinInputSplitSize(job, 1);
    PcapInputFormat format = new PcapInputFormat();
    List<String> records = new ArrayList<>();
    List<InputSplit> splits = format.getSplits(job);
    for (InputSplit split : splits) {
      TaskAttemptContextImpl ctx = new TaskAttemptContextImpl(job.getConfiguration(), new TaskAttemptID());
      try (RecordReader<LongWritable, PacketWritable> r = format.createRecordReader(split, ctx)) {
        r.initialize(split, ctx);
        while (r.nextKeyValue()) {
          PacketWritable v = r.getCurrentValue();
          records.add(r.getCurrentKey().get() + " " + v.timestampNanos() + " " + v.caplen() + " " + v.origlen()
              + " " + v.linkType() + " " + java.util.Arrays.hashCode(v.bytes()));
        }
      }
    }
    records.add(0, "splits=" + splits.size());
    return records;
  }

  @Test
  void splitReadsEqualTheUnsplitRead() throws Exception {
    String file = shared("http-linux-sll2-large-download.pcap").toUri().toString();
    Configuration conf = new Configuration();
    List<String> whole = readAll(conf, file, Long.MAX_VALUE);
    List<String> split = readAll(conf, file, 64 * 1024);
    assertEquals("splits=1", whole.get(0));
    long expectedSplits = (Files.size(Path.of(java.net.URI.create(file))) + 64 * 1024 - 1) / (64 * 1024);
    assertTrue(Long.parseLong(split.get(0).substring(7)) >= expectedSplits - 1, split.get(0));
    assertEquals(159 + 1, whole.size(), "MANIFEST packets + the splits line");
    assertSameRecords(whole.subList(1, whole.size()), split.subList(1, split.size()));
  }

  /** Compares record lists, reporting only the first difference (the lists are long). */
  static void assertSameRecords(List<String> expected, List<String> actual) {
    for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
      assertEquals(expected.get(i), actual.get(i), "record " + i + " (of " + expected.size() + " expected, "
          + actual.size() + " read)");
    }
    assertEquals(expected.size(), actual.size(), "record count");
  }

  /**
   * A multi-section pcapng (both byte orders, interfaces declared mid-section, garbage between blocks) in 4 KiB
   * splits: every split after the first is a {@link PcapFileSplit} with its state, survives Writable serialization,
   * and reads what the same plain {@link FileSplit} reads by walking; together they read the unsplit records.
   */
  @Test
  void pcapngSplitsCarryTheirStateAndReadTheWalksRecords(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("multi.pcapng");
    java.util.Random rnd = new java.util.Random(5);
    try (java.io.OutputStream out = Files.newOutputStream(file);
         io.pcaplake.capture.PcapngWriter w = new io.pcaplake.capture.PcapngWriter(out,
             java.nio.ByteOrder.BIG_ENDIAN)) {
      w.addInterface(1, 65535, 6, 0, -1);
      int ifaces = 1;
      long ts = 1_700_000_000_000_000_000L;
      for (int i = 0; i < 600; i++) {
        ts += rnd.nextInt(50_000_000);
        int kind = rnd.nextInt(30);
        if (kind == 0) {
          w.newSection(rnd.nextBoolean() ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN);
          w.addInterface(1, 65535, 9, 0, -1);
          ifaces = 1;
        } else if (kind == 1) {
          w.addInterface(113, 65535, 0x80 | 16, rnd.nextInt(1000), 4);
          ifaces++;
        } else if (kind == 2) {
          byte[] g = new byte[1 + rnd.nextInt(200)];
          rnd.nextBytes(g);
          w.writeRaw(g, 0, g.length);
        } else {
          byte[] f = new byte[60 + rnd.nextInt(900)];
          rnd.nextBytes(f);
          w.writeEpb(rnd.nextInt(ifaces), ts, f, 0, f.length, f.length);
        }
      }
    }
    Configuration conf = new Configuration();
    String uri = file.toUri().toString();
    List<String> whole = readAll(conf, uri, Long.MAX_VALUE);
    assertTrue(whole.size() > 400, "records " + whole.size());
    List<String> split = readAll(conf, uri, 4096);
    assertSameRecords(whole.subList(1, whole.size()), split.subList(1, split.size()));

    Job job = Job.getInstance(conf);
    FileInputFormat.addInputPath(job, new org.apache.hadoop.fs.Path(uri));
    FileInputFormat.setMaxInputSplitSize(job, 4096);
    FileInputFormat.setMinInputSplitSize(job, 1);
    PcapInputFormat format = new PcapInputFormat();
    List<InputSplit> splits = format.getSplits(job);
    assertTrue(splits.size() > 20, "splits " + splits.size());
    for (int i = 0; i < splits.size(); i++) {
      FileSplit s = (FileSplit) splits.get(i);
      assertEquals(i > 0, s instanceof PcapFileSplit, "split " + i + " at " + s.getStart());
      java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
      s.write(new java.io.DataOutputStream(buf));
      FileSplit back = s instanceof PcapFileSplit ? new PcapFileSplit() : new FileSplit();
      back.readFields(new java.io.DataInputStream(new java.io.ByteArrayInputStream(buf.toByteArray())));
      FileSplit plain = new FileSplit(s.getPath(), s.getStart(), s.getLength(), new String[0]);
      assertEquals(records(format, plain, job), records(format, back, job), "split " + i + " at " + s.getStart());
    }
  }

  private static List<String> records(PcapInputFormat format, InputSplit split, Job job) throws Exception {
    List<String> records = new ArrayList<>();
    TaskAttemptContextImpl ctx = new TaskAttemptContextImpl(job.getConfiguration(), new TaskAttemptID());
    try (RecordReader<LongWritable, PacketWritable> r = format.createRecordReader(split, ctx)) {
      r.initialize(split, ctx);
      while (r.nextKeyValue()) {
        PacketWritable v = r.getCurrentValue();
        records.add(r.getCurrentKey().get() + " " + v.timestampNanos() + " " + v.caplen() + " " + v.linkType());
      }
    }
    return records;
  }

  @Test
  void compressedCapturesAreReadWhole() throws Exception {
    String file = shared("http-1000-requests-one-conn-dropped-response.pcap.gz").toUri().toString();
    List<String> records = readAll(new Configuration(), file, 4096);
    assertEquals("splits=1", records.get(0));
    assertEquals(4102 + 1, records.size());
  }

  @Test
  void writableRoundTrips() throws Exception {
    PacketWritable w = new PacketWritable();
    w.set(123_456_789L, 1, 1500, new byte[] {9, 1, 2, 3, 9}, 1, 3);
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    w.write(new java.io.DataOutputStream(buf));
    PacketWritable back = new PacketWritable();
    back.readFields(new java.io.DataInputStream(new java.io.ByteArrayInputStream(buf.toByteArray())));
    assertEquals(w, back);
    assertEquals(3, back.caplen());
    assertEquals(1500, back.origlen());
    assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), List.of(back.bytes()[0], back.bytes()[1], back.bytes()[2]));
  }
}
