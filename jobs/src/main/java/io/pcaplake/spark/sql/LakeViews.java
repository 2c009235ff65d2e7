package io.pcaplake.spark.sql;

import io.pcaplake.spark.flows.TableSchemas;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.SparkSession;

/**
 * Registers the tables of a lake as temporary views named after their folders: every sub-folder of the lake (any
 * Hadoop FS) whose name is a plain identifier and does not start with {@code _} or {@code .} is a table when it
 * has a contract ({@code io/pcaplake/tables/<name>.avsc}: {@code flows}, {@code http}, {@code anomalies}, ...) or
 * holds Parquet files. Tables are read with Parquet partition discovery, so {@code WHERE dt = '2024-03-12'} reads
 * only that partition; a table with a contract is read with the contract's schema (an empty table still has its
 * columns, {@code dt} stays a string), any other with the schema Parquet infers. A table the lake lacks is simply
 * absent. {@code reports/} holds no Parquet and is skipped.
 */
public final class LakeViews {
  static final Pattern VIEW_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  private LakeViews() { }

  /**
   * Registers the lake's tables and returns them, view name to folder, in name order.
   *
   * @throws IllegalArgumentException when the lake is not a directory
   */
  public static Map<String, String> register(SparkSession spark, String lake) throws IOException {
    Path root = new Path(lake);
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    if (!fs.exists(root) || !fs.getFileStatus(root).isDirectory()) {
      throw new IllegalArgumentException("no lake at " + lake + " (not a directory)");
    }
    Map<String, String> views = new TreeMap<>();
    for (FileStatus st : fs.listStatus(root)) {
      String name = st.getPath().getName();
      if (!st.isDirectory() || !VIEW_NAME.matcher(name).matches()) {
        continue;
      }
      boolean contract = hasContract(name);
      if (!contract && !holdsParquet(fs, st.getPath())) {
        continue;
      }
      DataFrameReader r = spark.read();
      if (contract) {
        r = r.schema(TableSchemas.of(name));
      }
      String path = st.getPath().toString();
      r.parquet(path).createOrReplaceTempView(name);
      views.put(name, path);
    }
    return views;
  }

  static boolean hasContract(String table) {
    return TableSchemas.class.getResource("/io/pcaplake/tables/" + table + ".avsc") != null;
  }

  /** Whether a visible (not {@code _}/{@code .}) Parquet file lies under the folder. */
  static boolean holdsParquet(FileSystem fs, Path dir) throws IOException {
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
    while (it.hasNext()) {
      Path p = it.next().getPath();
      if (p.getName().endsWith(".parquet") && !hidden(dir, p)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hidden(Path dir, Path p) {
    for (Path q = p; q != null && !q.equals(dir); q = q.getParent()) {
      if (q.getName().startsWith("_") || q.getName().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** The view names of a {@link #register} result, comma-separated, for messages. */
  public static String describe(Map<String, String> views) {
    return views.isEmpty() ? "(none)" : String.join(", ", views.keySet());
  }
}
