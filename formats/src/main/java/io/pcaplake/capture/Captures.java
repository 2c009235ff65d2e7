package io.pcaplake.capture;

import java.io.IOException;

/**
 * The public door of the capture package: sniff a file, open a reader over all of it or over one byte range.
 * Content problems (wrong magic, truncation, garbage) never throw: they are reported to the {@link ProblemSink}
 * and counted; only I/O failures of the {@link ByteSource} throw.
 */
public final class Captures {
  private Captures() { }

  /** Detects format and compression by magic number (never by extension). Unknown content gives format "unknown". */
  public static CaptureInfo sniff(ByteSource source) throws IOException {
    throw new UnsupportedOperationException("capture readers: in progress");
  }

  /** Opens a reader over every record of the file. */
  public static CaptureReader open(ByteSource source, ProblemSink problems) throws IOException {
    return openSplit(source, 0, Long.MAX_VALUE, problems);
  }

  /**
   * Opens a reader over the records whose header starts in {@code [start, end)} of the file. For a file that is not
   * splittable (compressed), the split with {@code start == 0} reads the whole file and every other split reads
   * nothing.
   */
  public static CaptureReader openSplit(ByteSource source, long start, long end, ProblemSink problems)
      throws IOException {
    throw new UnsupportedOperationException("capture readers: in progress");
  }
}
