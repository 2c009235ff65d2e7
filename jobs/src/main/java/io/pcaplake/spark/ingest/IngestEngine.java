package io.pcaplake.spark.ingest;

import java.util.Locale;

/**
 * Which engine an ingest run uses ({@code pcaplake ingest --engine}, {@code docs/lake.md}): Spark, the local engine
 * ({@link LocalIngest}: one process, parquet-avro, no SparkSession), or auto: local when the run's new input is
 * small, the Spark master is local and the run writes nothing only Spark writes ({@code --extract-bodies}), Spark
 * otherwise.
 */
public enum IngestEngine {
  SPARK, LOCAL, AUTO;

  /** {@code --local-max-bytes} default: 1 GiB of new input. */
  public static final long DEFAULT_LOCAL_MAX_BYTES = 1L << 30;

  /** {@code spark}, {@code local} or {@code auto} (any case). */
  public static IngestEngine parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("engine must be spark, local or auto: " + s);
    }
  }

  /**
   * Whether a Spark master runs executors of its own ({@code spark://}, {@code yarn}, {@code k8s://},
   * {@code local-cluster[...]}): everything but {@code local} and {@code local[...]}. Null or blank: no master known.
   */
  static boolean isCluster(String master) {
    if (master == null || master.isBlank()) {
      return false;
    }
    String m = master.trim();
    return !m.equals("local") && !m.startsWith("local[");
  }

  /** Bytes for the run summary: {@code 812 B}, {@code 1.2 MiB}, {@code 1 GiB}. */
  static String human(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    String n = u == 0 || v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    return n + " " + units[u];
  }
}
