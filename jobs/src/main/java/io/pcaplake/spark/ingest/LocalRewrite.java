package io.pcaplake.spark.ingest;

import io.pcaplake.lake.LakePaths;
import io.pcaplake.local.ParquetTables;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * The local engine's reads of the lake for a run that replaces rows ({@link Replacement}), with parquet-avro, no
 * Spark: the connections touching re-ingested files, the lake files holding replaced rows (a projected read of
 * {@code flow_id} and {@code capture_file}), and those files' surviving rows (a full read, copied into the run's
 * staged files, the lake file deleted at the commit). Reads files written by either engine: the table's contract
 * schema is the read schema.
 */
final class LocalRewrite {
  private final Configuration conf;
  private final FileSystem fs;
  private final LakePaths lake;

  LocalRewrite(Configuration conf, FileSystem fs, LakePaths lake) {
    this.conf = conf;
    this.fs = fs;
    this.lake = lake;
  }

  /** The {@code dt} values of the partitions of the lake's {@code flows}, {@code http} and {@code anomalies}. */
  Set<String> partitions() throws IOException {
    Set<String> dts = new LinkedHashSet<>();
    for (String t : List.of("flows", "http", "anomalies")) {
      Path dir = lake.table(t);
      if (!fs.exists(dir)) {
        continue;
      }
      for (FileStatus s : fs.listStatus(dir)) {
        String dt = dt(s.getPath());
        if (s.isDirectory() && dt != null) {
          dts.add(dt);
        }
      }
    }
    return dts;
  }

  /**
   * The lake's connections that have packets in one of {@code files}: flow_id → dt; every capture file of theirs
   * goes to {@code theirFiles}.
   */
  Map<String, String> touching(Collection<String> files, Set<String> theirFiles) throws IOException {
    Map<String, String> ids = new LinkedHashMap<>();
    Set<String> wanted = Set.copyOf(files);
    Schema schema = ParquetTables.fileSchema("flows");
    for (Path f : partFiles("flows", null)) {
      read(f, "flows", project(schema, "flow_id", "capture_files"), r -> {
        List<String> cf = new ArrayList<>();
        for (Object o : (Collection<?>) r.get("capture_files")) {
          cf.add(o.toString());
        }
        if (Replacement.emits(cf, wanted)) {
          ids.put(r.get("flow_id").toString(), dt(f.getParent()));
          theirFiles.addAll(cf);
        }
      });
    }
    return ids;
  }

  /** The table's part files, in the partitions {@code dts} (null: all, and unpartitioned tables). */
  List<Path> partFiles(String table, Set<String> dts) throws IOException {
    List<Path> out = new ArrayList<>();
    Path dir = lake.table(table);
    if (!fs.exists(dir)) {
      return out;
    }
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
    while (it.hasNext()) {
      Path p = it.next().getPath();
      if (p.getName().startsWith("part-") && (dts == null || dts.contains(dt(p.getParent())))) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Whether {@code file} holds a row this run replaces: by flow_id (when {@code ids} is not null) or by file
   * ({@link Replacement.By}). Reads only those columns.
   */
  boolean holdsReplaced(Path file, String table, Set<String> ids, Set<String> files) throws IOException {
    Replacement.By by = Replacement.of(table);
    List<String> columns = new ArrayList<>();
    if (by.byId()) {
      columns.add("flow_id");
    }
    if (by.byFile()) {
      columns.add("capture_file");
    }
    boolean[] found = {false};
    read(file, table, project(ParquetTables.fileSchema(table), columns.toArray(String[]::new)), r -> {
      if (!found[0] && doomed(by, r, ids == null ? Set.of() : ids, files)) {
        found[0] = true;
      }
    });
    return found[0];
  }

  /** Sends the rows of {@code file} this run does not replace to {@code out}; returns the number it replaces. */
  long survivors(Path file, String table, Set<String> ids, Set<String> files, Consumer<GenericRecord> out)
      throws IOException {
    Replacement.By by = Replacement.of(table);
    long[] doomed = {0};
    read(file, table, null, r -> {
      if (doomed(by, r, ids, files)) {
        doomed[0]++;
      } else {
        out.accept(r);
      }
    });
    return doomed[0];
  }

  private static boolean doomed(Replacement.By by, GenericRecord r, Set<String> ids, Set<String> files) {
    Object id = by.byId() ? r.get("flow_id") : null;
    Object file = by.byFile() ? r.get("capture_file") : null;
    return by.doomed(id != null && ids.contains(id.toString()), id == null,
        file != null && files.contains(file.toString()));
  }

  /** Reads {@code file}'s rows, only {@code projection}'s columns (null: all), as records of the table's schema. */
  private void read(Path file, String table, Schema projection, Consumer<GenericRecord> each) throws IOException {
    Configuration c = new Configuration(conf);
    c.setBoolean("parquet.avro.write-old-list-structure", false);  // the projection's lists as the files have them
    if (projection != null) {
      AvroReadSupport.setRequestedProjection(c, projection);
    }
    AvroReadSupport.setAvroReadSchema(c, projection != null ? projection : ParquetTables.fileSchema(table));
    try (ParquetReader<GenericRecord> r = AvroParquetReader.<GenericRecord>builder(HadoopInputFile.fromPath(file, c))
        .withConf(c).build()) {
      for (GenericRecord g = r.read(); g != null; g = r.read()) {
        each.accept(g);
      }
    }
  }

  private static Schema project(Schema s, String... names) {
    List<Schema.Field> fields = new ArrayList<>();
    for (String n : names) {
      Schema.Field f = s.getField(n);
      fields.add(new Schema.Field(f, f.schema()));
    }
    return Schema.createRecord(s.getName(), s.getDoc(), s.getNamespace(), false, fields);
  }

  /** The {@code dt} of a partition directory ({@code dt=YYYY-MM-DD}), or null. */
  static String dt(Path dir) {
    String n = dir == null ? "" : dir.getName();
    return n.startsWith("dt=") ? n.substring(3) : null;
  }
}
