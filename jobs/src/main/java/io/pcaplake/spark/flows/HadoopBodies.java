package io.pcaplake.spark.flows;

import io.pcaplake.http.BodyFiles;
import io.pcaplake.spark.SerializableConfiguration;
import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * {@code --extract-bodies DIR} on any Hadoop file system: the executors create each body file directly inside DIR,
 * by a name {@link BodyFiles#name} built (only safe names are accepted, checked again here, and the child path must
 * have DIR as its parent). Files are overwritten, so a retried or recomputed task rewrites the same files with the
 * same bytes.
 */
final class HadoopBodies implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String dir;
  private final SerializableConfiguration conf;

  HadoopBodies(String dir, Configuration conf) {
    this.dir = dir;
    this.conf = new SerializableConfiguration(conf);
  }

  /** Creates DIR (driver side, before the tasks run); returns its qualified path. */
  static Path prepare(String dir, Configuration conf) throws IOException {
    Path p = new Path(dir);
    FileSystem fs = p.getFileSystem(conf);
    Path q = fs.makeQualified(p);
    if (fs.exists(q) && !fs.getFileStatus(q).isDirectory()) {
      throw new IOException("--extract-bodies " + dir + " is not a directory");
    }
    fs.mkdirs(q);
    return q;
  }

  /** The opener of one task (the file system instance is Hadoop's cached one: not closed here). */
  BodyFiles.Opener opener() throws IOException {
    Path root = new Path(dir);
    FileSystem cached = root.getFileSystem(conf.get());
    Path qualified = cached.makeQualified(root);
    // The local file system would add a hidden .crc file beside each body; write through its raw layer instead.
    FileSystem fs = cached instanceof ChecksumFileSystem c ? c.getRawFileSystem() : cached;
    return name -> {
      if (!BodyFiles.isSafeName(name)) {
        throw new IOException("unsafe body file name refused: " + name);
      }
      Path f = new Path(qualified, name);
      if (!qualified.equals(f.getParent())) {
        throw new IOException("body file outside " + qualified + " refused: " + name);
      }
      return fs.create(f, true);
    };
  }
}
