package io.pcaplake.cli;

import org.apache.spark.sql.SparkSession;

/**
 * Builds the CLI's SparkSession. The master comes from {@code --master}, else from spark-submit ({@code spark.master}),
 * else {@code local[*]}. A local driver binds to 127.0.0.1. For a cluster master started from
 * {@code scripts/pcaplake} (not spark-submit), the executors get the shaded app jar named by the system property
 * {@code pcaplake.app.jar} through {@code spark.jars}.
 */
final class Sessions {
  private Sessions() { }

  static SparkSession create(String appName, String master, boolean ui) {
    String effective = master != null ? master : System.getProperty("spark.master", "local[*]");
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
