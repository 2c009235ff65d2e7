package io.pcaplake.hadoop;

import io.pcaplake.capture.ByteSource;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A capture's bytes on any Hadoop {@link FileSystem} (file://, hdfs://, s3a://): {@code openAt} is
 * {@code fs.open(path)} plus a seek, so a split reader only fetches the blocks it reads.
 */
public final class HadoopByteSource implements ByteSource {
  private final FileSystem fs;
  private final Path path;
  private long length = -1;

  public HadoopByteSource(FileSystem fs, Path path) {
    this.fs = fs;
    this.path = fs.makeQualified(path);
  }

  /** Resolves the file system of {@code path} from {@code conf}. */
  public static HadoopByteSource of(Path path, Configuration conf) throws IOException {
    return new HadoopByteSource(path.getFileSystem(conf), path);
  }

  /** Uses an already known length (from a listing), saving one metadata call per split. */
  public HadoopByteSource withLength(long knownLength) {
    this.length = knownLength;
    return this;
  }

  public Path path() {
    return path;
  }

  @Override
  public String name() {
    return path.toString();
  }

  @Override
  public long length() throws IOException {
    if (length < 0) {
      length = fs.getFileStatus(path).getLen();
    }
    return length;
  }

  @Override
  public InputStream openAt(long offset) throws IOException {
    FSDataInputStream in = fs.open(path);
    try {
      if (offset > 0) {
        in.seek(offset);
      }
      return in;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  @Override
  public String toString() {
    return name();
  }
}
