package io.pcaplake.capture;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where a capture file's raw bytes come from: a local file, a Hadoop FileSystem path, a byte array in tests.
 * Readers never assume a local path, so the same code reads file://, hdfs:// and s3a:// inputs.
 */
public interface ByteSource {

  /** A name for messages and for the {@code capture_file} column (a path or URI). */
  String name();

  /** The raw length in bytes (compressed length for a compressed file). */
  long length() throws IOException;

  /** Opens a stream positioned at {@code offset} of the raw bytes. The caller closes it. */
  InputStream openAt(long offset) throws IOException;
}
