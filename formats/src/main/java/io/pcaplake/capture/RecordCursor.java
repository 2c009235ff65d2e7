package io.pcaplake.capture;

import java.io.IOException;

/** The current-record flyweight and counters shared by the readers. */
abstract class RecordCursor implements CaptureReader {
  final CaptureStats stats = new CaptureStats();
  byte[] data = new byte[0];
  int dataOffset;
  int caplen;
  int origlen;
  long timestampNanos;
  int linkType;
  int fcsLength;
  int interfaceId;
  long recordOffset = -1;

  @Override public byte[] data() { return data; }
  @Override public int dataOffset() { return dataOffset; }
  @Override public int caplen() { return caplen; }
  @Override public int origlen() { return origlen; }
  @Override public long timestampNanos() { return timestampNanos; }
  @Override public int linkType() { return linkType; }
  @Override public int fcsLength() { return fcsLength; }
  @Override public int interfaceId() { return interfaceId; }
  @Override public long recordOffset() { return recordOffset; }
  @Override public CaptureStats stats() { return stats; }

  /** A reader with nothing to return: wrong magic, empty file, a non-first split of a compressed file. */
  static final class Empty extends RecordCursor {
    private final CaptureInfo info;

    Empty(CaptureInfo info) {
      this.info = info;
    }

    @Override public boolean next() { return false; }
    @Override public CaptureInfo info() { return info; }
    @Override public void close() throws IOException { }
  }
}
