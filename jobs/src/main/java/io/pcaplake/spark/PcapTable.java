package io.pcaplake.spark;

import java.util.EnumSet;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** The capture files under the load paths, as a read-only batch table. */
final class PcapTable implements SupportsRead {
  private final StructType schema;
  private final PcapOptions options;

  PcapTable(StructType schema, PcapOptions options) {
    this.schema = schema;
    this.options = options;
  }

  @Override
  public String name() {
    return "pcap " + options.paths();
  }

  /** Deprecated in Spark 4 for {@code columns()}, whose default derives the columns from this schema. */
  @Override
  @SuppressWarnings("deprecation")
  public StructType schema() {
    return schema;
  }

  @Override
  public Set<TableCapability> capabilities() {
    return EnumSet.of(TableCapability.BATCH_READ);
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap scanOptions) {
    return new PcapScanBuilder(options, schema);
  }
}
