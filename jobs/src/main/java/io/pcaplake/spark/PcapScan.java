package io.pcaplake.spark;

import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.types.StructType;

/** Lists the files, cuts them into splits and packs the splits into partitions (on the driver, once per scan). */
final class PcapScan implements Scan, Batch {
  private final PcapOptions options;
  private final StructType required;
  private List<PcapInputPartition> partitions;

  PcapScan(PcapOptions options, StructType required) {
    this.options = options;
    this.required = required;
  }

  @Override
  public StructType readSchema() {
    return required;
  }

  @Override
  public String description() {
    return "pcap " + options.paths() + (options.rows() == PcapOptions.RowMode.PACKETS ? "" : " rows=" + options.rows().name().toLowerCase(java.util.Locale.ROOT))
        + (options.filter().isBlank() ? "" : " filter=" + options.filter());
  }

  @Override
  public Batch toBatch() {
    return this;
  }

  @Override
  public InputPartition[] planInputPartitions() {
    return partitions().toArray(InputPartition[]::new);
  }

  private List<PcapInputPartition> partitions() {
    if (partitions == null) {
      SparkSession spark = SparkSession.active();
      long maxBytes = options.maxPartitionBytes() > 0 ? options.maxPartitionBytes()
          : JavaUtils.byteStringAsBytes(spark.conf().get("spark.sql.files.maxPartitionBytes", "128m"));
      long openCost = JavaUtils.byteStringAsBytes(spark.conf().get("spark.sql.files.openCostInBytes", "4m"));
      Configuration conf = hadoopConf(spark);
      partitions = new SplitPlanner(maxBytes, openCost, conf).plan(CaptureLister.list(options.paths(), conf));
    }
    return partitions;
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new PcapReaderFactory(new SerializableConfiguration(hadoopConf(SparkSession.active())), required,
        options.rows(), PcapOptions.compileFilter(options.filter()), options.deferFragments());
  }

  /** The session's Hadoop configuration plus every reader option (so {@code option("fs.s3a.endpoint", ..)} works). */
  private Configuration hadoopConf(SparkSession spark) {
    Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
    options.hadoopOptions().forEach(conf::set);
    return conf;
  }
}
