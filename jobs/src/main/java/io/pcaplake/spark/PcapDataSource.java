package io.pcaplake.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code pcap} data source: {@code spark.read().format("pcap").load(paths...)} gives one row per capture
 * record of every pcap/pcapng file (plain or compressed) under the paths; {@code option("rows", "problems")} gives
 * one row per problem found instead; {@code option("rows", "segments")} the TCP segments, problems and record counts
 * the flows job reassembles ({@link SegmentColumns}; with {@code option("filter", EXPR)}; with
 * {@code option("fragments", "defer")} IP fragment records as whole records, for one decoder per file). Options,
 * schemas and splitting: {@code docs/spark.md}.
 */
public final class PcapDataSource implements TableProvider, DataSourceRegister {

  @Override
  public String shortName() {
    return "pcap";
  }

  /**
   * The capture files {@code load(paths)} would read, with their sizes on disk, in path order (the same listing:
   * directories recursively, globs expanded, hidden names skipped).
   */
  public static Map<String, Long> listFiles(SparkSession spark, List<String> paths) {
    return listFiles(spark.sparkContext().hadoopConfiguration(), paths);
  }

  /** {@link #listFiles(SparkSession, List)} without a session (e.g. to find out whether there is work at all). */
  public static Map<String, Long> listFiles(org.apache.hadoop.conf.Configuration conf, List<String> paths) {
    Map<String, Long> files = new LinkedHashMap<>();
    for (CaptureFile f : CaptureLister.list(paths, conf)) {
      files.put(f.path(), f.length());
    }
    return files;
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return PcapSchemas.of(PcapOptions.parse(options.asCaseSensitiveMap()));
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return new PcapTable(schema, PcapOptions.parse(properties));
  }
}
