package io.pcaplake.spark;

import java.io.Serializable;
import java.util.List;

/**
 * A byte range {@code [start, end)} of one capture file. The reader returns the records whose header starts
 * inside it, so the splits of a file together return every record exactly once. {@code hosts}: where its first
 * block lives (locality hint). {@code state}: for a pcapng split after 0, its encoded {@link
 * io.pcaplake.capture.SplitState} from the planner's one walk over the file, so the task starts reading at once instead
 * of walking the file up to {@code start}; null when not needed or not known (the reader then walks).
 */
record CaptureSplit(String path, long fileLength, long start, long end, List<String> hosts, byte[] state)
    implements Serializable {
  CaptureSplit {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad range [" + start + ", " + end + ") of " + path);
    }
    hosts = List.copyOf(hosts);
  }

  CaptureSplit(String path, long fileLength, long start, long end, List<String> hosts) {
    this(path, fileLength, start, end, hosts, null);
  }

  CaptureSplit(String path, long fileLength, long start, long end) {
    this(path, fileLength, start, end, List.of());
  }

  long length() {
    return end - start;
  }

  /** The same split without its state (its reader walks from the file start). */
  CaptureSplit withoutState() {
    return new CaptureSplit(path, fileLength, start, end, hosts);
  }

  @Override
  public String toString() {
    return "CaptureSplit[" + path + " [" + start + ", " + end + ") of " + fileLength + (state == null ? "" : " +state")
        + "]";
  }
}
