package io.pcaplake.spark;

import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.types.StructType;

/** Accepts Spark's column pruning: the scan computes only the columns the query needs. */
final class PcapScanBuilder implements ScanBuilder, SupportsPushDownRequiredColumns {
  private final PcapOptions options;
  private StructType required;

  PcapScanBuilder(PcapOptions options, StructType schema) {
    this.options = options;
    this.required = schema;
  }

  @Override
  public void pruneColumns(StructType requiredSchema) {
    this.required = requiredSchema;
  }

  @Override
  public Scan build() {
    return new PcapScan(options, required);
  }
}
