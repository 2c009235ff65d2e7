package io.pcaplake.hadoop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestSpark;
import io.pcaplake.synth.BulkCapture;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real HDFS (MiniDFSCluster, 1 MiB blocks): splits follow blocks and together read every record exactly once. */
class HdfsSplitTest {
  static FileSystem fs;
  static Path file;
  static long records;

  @BeforeAll
  static void write() throws Exception {
    fs = MiniDfs.fs();
    file = fs.makeQualified(new Path("/pcaps/bulk.pcap"));
    java.nio.file.Path local = java.nio.file.Files.createTempFile("bulk", ".pcap");
    try {
      records = BulkCapture.write(local, BulkCapture.Options.of(5 * MiniDfs.BLOCK + 300_000, true)).packets();
      fs.copyFromLocalFile(new Path(local.toUri()), file);
    } finally {
      java.nio.file.Files.deleteIfExists(local);
    }
  }

  @Test
  void inputFormatSplitsAreBlocksAndTheirUnionIsTheWholeFile() throws Exception {
    long blocks = fs.getFileBlockLocations(fs.getFileStatus(file), 0, Long.MAX_VALUE).length;
    assertEquals(6, blocks);
    Job job = Job.getInstance(new Configuration(fs.getConf()));
    FileInputFormat.addInputPath(job, file);
    PcapInputFormat format = new PcapInputFormat();
    List<InputSplit> splits = format.getSplits(job);
    assertEquals(blocks, splits.size(), "one split per block");

    List<Long> union = new ArrayList<>();
    for (InputSplit s : splits) {
      union.addAll(keys(format, s, job.getConfiguration()));
    }
    FileInputFormat.setMinInputSplitSize(job, Long.MAX_VALUE);
    List<InputSplit> whole = format.getSplits(job);
    assertEquals(1, whole.size());
    List<Long> unsplit = keys(format, whole.get(0), job.getConfiguration());
    assertEquals(records, unsplit.size());
    assertEquals(unsplit.size(), union.size(), "records read by the splits");
    assertTrue(unsplit.equals(union), "split reads in split order == unsplit read");
  }

  private static List<Long> keys(PcapInputFormat format, InputSplit split, Configuration conf) throws Exception {
    TaskAttemptContextImpl ctx = new TaskAttemptContextImpl(conf, new TaskAttemptID());
    List<Long> keys = new ArrayList<>();
    try (RecordReader<LongWritable, PacketWritable> r = format.createRecordReader(split, ctx)) {
      r.initialize(split, ctx);
      while (r.nextKeyValue()) {
        keys.add(r.getCurrentKey().get());
      }
    }
    return keys;
  }

  @Test
  void sparkReadsHdfsThroughTheDataSourceAndTheRddApi() {
    SparkSession spark = TestSpark.get();
    var df = spark.read().format("pcap").option("maxPartitionBytes", "1m")
        .option("fs.defaultFS", fs.getUri().toString()).load(file.toString());
    assertEquals(6, df.rdd().getNumPartitions());
    assertEquals(records, df.count());
    assertEquals(records, df.select("record_index").distinct().count(), "record_index is unique");
    assertEquals(records, df.where("decode_status = 'ok' AND protocol = 6").count(), "synthetic TCP decodes");
    assertTrue(df.where("ip_version = 6").count() > 0 && df.where("vlan IS NOT NULL").count() > 0, "mixed traffic");

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    var rdd = jsc.newAPIHadoopFile(file.toString(), PcapInputFormat.class, LongWritable.class, PacketWritable.class,
        new Configuration(fs.getConf()));
    assertEquals(6, rdd.getNumPartitions());
    assertEquals(records, rdd.count());
  }
}
