package io.pcaplake.spark;

import java.io.Serializable;
import java.util.List;

/**
 * A byte range {@code [start, end)} of one capture file. The reader returns the records whose header starts
 * inside it, so the splits of a file together return every record exactly once. {@code hosts}: where its first
 * block lives (locality hint).
 */
record CaptureSplit(String path, long fileLength, long start, long end, List<String> hosts) implements Serializable {
  CaptureSplit {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad range [" + start + ", " + end + ") of " + path);
    }
    hosts = List.copyOf(hosts);
  }

  CaptureSplit(String path, long fileLength, long start, long end) {
    this(path, fileLength, start, end, List.of());
  }

  long length() {
    return end - start;
  }
}
