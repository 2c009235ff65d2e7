package io.pcaplake;

import org.apache.spark.sql.SparkSession;

/** The one local SparkSession of a test JVM (start-up costs seconds: pay it once). */
public final class TestSpark {
  private TestSpark() { }

  private static SparkSession spark;

  public static synchronized SparkSession get() {
    if (spark == null) {
      spark = SparkSession.builder()
          .appName("pcaplake-tests")
          .master("local[2]")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
    }
    return spark;
  }
}
