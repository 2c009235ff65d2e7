package io.pcaplake.spark;

import java.io.Serializable;

/**
 * A byte range {@code [start, end)} of one capture file. The reader returns the records whose header starts
 * inside it, so the splits of a file together return every record exactly once.
 */
record CaptureSplit(String path, long fileLength, long start, long end) implements Serializable {
  CaptureSplit {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad range [" + start + ", " + end + ") of " + path);
    }
  }

  long length() {
    return end - start;
  }
}
