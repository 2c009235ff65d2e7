package io.pcaplake.capture;

import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public door of the capture package: sniff a file, open a reader over all of it or over one byte range.
 * Content problems (wrong magic, truncation, garbage) never throw: they are reported to the {@link ProblemSink}
 * and counted; only I/O failures of the {@link ByteSource} throw.
 */
public final class Captures {
  private static final Logger LOG = LoggerFactory.getLogger(Captures.class);

  private Captures() { }

  /** Detects format and compression by magic number (never by extension). Unknown content gives format "unknown". */
  public static CaptureInfo sniff(ByteSource source) throws IOException {
    return Sniffer.info(Sniffer.sniff(source, ProblemSink.IGNORE));
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
    return openSplit(source, start, end, null, problems);
  }

  /**
   * As {@link #openSplit(ByteSource, long, long, ProblemSink)}, but a pcapng split given its {@link SplitState} (from
   * {@link #splitStates}) starts at the recorded block instead of walking the file from its start: same records, same
   * problems, same counters. A null state, or a file that is not an uncompressed pcapng, reads as without it.
   */
  public static CaptureReader openSplit(ByteSource source, long start, long end, SplitState state,
                                        ProblemSink problems) throws IOException {
    if (start < 0 || end < start) {
      throw new IllegalArgumentException("bad split [" + start + ", " + end + ")");
    }
    if (state != null && state.start() != start) {
      throw new IllegalArgumentException("split state for " + state.start() + " given to a split at " + start);
    }
    Sniffer.Sniff sniff = Sniffer.sniff(source, problems);
    CaptureInfo info = Sniffer.info(sniff);
    Compression compression = sniff.compression();
    if (compression != Compression.NONE) {
      if (start != 0) {
        return new RecordCursor.Empty(info);
      }
      LOG.info("{}: {}", source.name(), info.unsplittableReason());
      end = Long.MAX_VALUE;
    }
    boolean firstSplit = start == 0;
    switch (sniff.format()) {
      case EMPTY -> {
        if (firstSplit) {
          problems.report(sniff.problem() != null ? CaptureReasons.DECOMPRESS_ERROR : CaptureReasons.EMPTY, 0,
              sniff.problem() != null ? sniff.problem() : source.name() + " has no bytes");
        }
        return new RecordCursor.Empty(info);
      }
      case UNKNOWN -> {
        if (firstSplit) {
          problems.report(CaptureReasons.NOT_A_CAPTURE, 0, "unknown magic " + hex(sniff.head(), sniff.headLength())
              + ": not pcap or pcapng" + (compression == Compression.NONE ? "" : " inside " + compression.label));
        }
        return new RecordCursor.Empty(info);
      }
      case PCAP -> {
        return openPcap(source, sniff, info, start, end, problems);
      }
      default -> {
        boolean compressed = compression != Compression.NONE;
        if (state != null && !compressed && start > 0) {
          long from = state.offset();
          ByteWindow w = new ByteWindow(source, source.openAt(from), from,
              ByteWindow.expectedBytes(from, Math.max(end, from), source.length()), PcapngReader.WINDOW_CAPACITY,
              false, problems);
          return new PcapngReader(w, info, state, end, problems);
        }
        InputStream in = compression.decompress(source.openAt(0));
        ByteWindow w = new ByteWindow(compressed ? null : source, in, 0,
            compressed ? -1 : ByteWindow.expectedBytes(0, end, source.length()), PcapngReader.WINDOW_CAPACITY,
            compressed, problems);
        return new PcapngReader(w, info, start, end, problems);
      }
    }
  }

  /**
   * The split index of a file: for each split start (ascending), the state a pcapng split starting there needs, found
   * by one sparse walk over the file (the walk every split after 0 would otherwise make up to its own start, so k
   * splits cost one walk instead of k). Null when the file needs none: not an uncompressed pcapng (pcap splits find
   * their start locally; compressed files are read whole), or fewer than two starts. An entry is null for start 0 or
   * when the state would be too large to carry (more than 4096 interfaces in the
   * section); that split walks as before.
   */
  public static SplitState[] splitStates(ByteSource source, long[] starts) throws IOException {
    if (starts.length < 2) {
      return null;
    }
    Sniffer.Sniff sniff = Sniffer.sniff(source, ProblemSink.IGNORE);
    if (sniff.format() != Sniffer.Format.PCAPNG || sniff.compression() != Compression.NONE) {
      return null;
    }
    ByteWindow w = new ByteWindow(source, source.openAt(0), 0, -1, PcapngReader.WINDOW_CAPACITY, false,
        ProblemSink.IGNORE);
    try {
      return PcapngReader.index(w, Sniffer.info(sniff), starts);
    } finally {
      w.close();
    }
  }

  private static CaptureReader openPcap(ByteSource source, Sniffer.Sniff sniff, CaptureInfo info, long start, long end,
                                        ProblemSink problems) throws IOException {
    boolean firstSplit = start == 0;
    if (sniff.headLength() < PcapFileHeader.LENGTH) {
      if (firstSplit) {
        problems.report(CaptureReasons.PCAP_TRUNCATED_HEADER, 0, "file header has " + sniff.headLength()
            + " of 24 bytes");
      }
      return new RecordCursor.Empty(info);
    }
    PcapFileHeader header = PcapFileHeader.parse(sniff.head());
    if (!header.versionSupported()) {
      if (firstSplit) {
        problems.report(CaptureReasons.PCAP_BAD_VERSION, 4, "version " + header.versionMajor() + "."
            + header.versionMinor() + " (libpcap reads 2.0-2.4 and 543.0)");
      }
      return new RecordCursor.Empty(info);
    }
    Compression compression = sniff.compression();
    boolean compressed = compression != Compression.NONE;
    long from = compressed ? 0 : PcapReader.streamStart(header, start);
    InputStream in = compression.decompress(source.openAt(from));
    ByteWindow w = new ByteWindow(in, from, compressed ? -1 : ByteWindow.expectedBytes(from, end, source.length()),
        PcapReader.windowCapacity(header), compressed, problems);
    return new PcapReader(w, header, info, start, end, problems);
  }

  private static String hex(byte[] b, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(n, 8); i++) {
      sb.append(String.format("%02x", b[i] & 0xFF));
    }
    return sb.toString();
  }
}
