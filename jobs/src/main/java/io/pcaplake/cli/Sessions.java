package io.pcaplake.cli;

import org.apache.spark.sql.SparkSession;

/**
 * Builds the CLI's SparkSession. The master comes from {@code --master}, else from the {@code spark.master} system
 * property (set by spark-submit, and to {@code local[*]} by {@code scripts/pcaplake}); {@code main} itself picks
 * none, so that spark-submit's is never overridden. A local driver binds to 127.0.0.1. For a cluster master started from
 * {@code scripts/pcaplake} (not spark-submit), the executors get the shaded app jar named by the system property
 * {@code pcaplake.app.jar} through {@code spark.jars}.
 */
final class Sessions {
  private Sessions() { }

  static SparkSession create(String appName, String master, boolean ui) {
    String effective = master != null ? master : System.getProperty("spark.master");
    if (effective == null || effective.isBlank()) {
      throw new IllegalArgumentException("no Spark master: give --master URL (e.g. local[*]), or run through"
          + " scripts/pcaplake (local[*]) or spark-submit");
    }
    SparkSession.Builder b = SparkSession.builder().appName(appName).master(effective)
        .config("spark.ui.enabled", String.valueOf(ui));
    if (effective.startsWith("local")) {
      b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
    } else if (System.getProperty("spark.jars") == null && System.getProperty("pcaplake.app.jar") != null) {
      b.config("spark.jars", System.getProperty("pcaplake.app.jar"));
    }
    return b.getOrCreate();
  }
}
