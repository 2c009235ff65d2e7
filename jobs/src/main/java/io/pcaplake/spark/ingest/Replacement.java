package io.pcaplake.spark.ingest;

import io.pcaplake.lake.Manifest;
import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The rules of a run that replaces rows already in the lake ({@code docs/lake.md}, "A connection spanning two runs"),
 * one place for both engines: the Spark engine ({@link IngestJob}) applies them as Spark expressions, the local engine
 * ({@link LocalRewrite}) row by row with parquet-avro.
 * <ul>
 *   <li>context: the manifest's context files (connections still open at the end of the last run) that still exist
 *       and are not run files, plus the other files of connections a re-ingested file touches;</li>
 *   <li>a run emits the connections that have packets in its files ({@link #emits}), with their exchanges and
 *       keyed anomalies, and its files' own capture-level rows;</li>
 *   <li>a lake row is replaced ({@link By}) by {@code flow_id} (a connection the run writes, or one touching a
 *       re-ingested file) or by {@code capture_file} (capture-level rows of the run's files and unreadable files);
 *       rows replaced by {@code flow_id} are searched only in the {@code dt} partitions of those connections.</li>
 * </ul>
 */
final class Replacement {
  private Replacement() { }

  /** How rows of a table are found replaced. */
  enum By {
    /** {@code flows}, {@code http}: by {@code flow_id}. */
    ID,
    /** {@code anomalies}: by {@code flow_id}, and rows without one by {@code capture_file}. */
    ID_OR_FILE,
    /** {@code captures}, {@code packets}: by {@code capture_file}. */
    FILE;

    boolean byId() {
      return this != FILE;
    }

    boolean byFile() {
      return this != ID;
    }

    /** Whether a row is replaced: its flow_id is replaced ({@code idReplaced}), or it is a row of a replaced file. */
    boolean doomed(boolean idReplaced, boolean flowIdNull, boolean fileReplaced) {
      return switch (this) {
        case ID -> idReplaced;
        case ID_OR_FILE -> idReplaced || flowIdNull && fileReplaced;
        case FILE -> fileReplaced;
      };
    }
  }

  static By of(String table) {
    return switch (table) {
      case "flows", "http" -> By.ID;
      case "anomalies" -> By.ID_OR_FILE;
      default -> By.FILE;
    };
  }

  /** The manifest's context files that exist and are not among the run's files, in the manifest's order. */
  static Set<String> context(Configuration conf, Manifest manifest, List<String> runFiles) {
    Set<String> context = new LinkedHashSet<>();
    for (String c : manifest.context()) {
      if (!runFiles.contains(c) && exists(conf, c)) {
        context.add(c);
      }
    }
    return context;
  }

  /** Adds the files of a connection touching a re-ingested file to the context (those that exist, not run files). */
  static void addContext(Configuration conf, Set<String> context, List<String> runFiles,
                         Collection<String> captureFiles) {
    for (String f : captureFiles) {
      if (!runFiles.contains(f) && !context.contains(f) && exists(conf, f)) {
        context.add(f);
      }
    }
  }

  /** A connection the run writes: it has packets in one of the run's files. */
  static boolean emits(Collection<? extends CharSequence> captureFiles, Set<String> runFiles) {
    for (CharSequence f : captureFiles) {
      if (runFiles.contains(f.toString())) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a connection the run wrote that is still open ({@link IngestJob#OPEN_STATES}) makes its files the next
   * run's context: it was active within {@link IngestJob#CONTEXT_IDLE_NS} of the last record of the run's files.
   */
  static boolean activeAtEnd(long endTsNs, long lastTsNs) {
    return endTsNs >= lastTsNs - IngestJob.CONTEXT_IDLE_NS;
  }

  static boolean exists(Configuration conf, String file) {
    try {
      Path p = new Path(file);
      return p.getFileSystem(conf).exists(p);
    } catch (IOException e) {
      return false;
    }
  }
}
