package io.pcaplake.capture;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/** Compression wrappers recognised by their magic bytes. None of them can be split. */
enum Compression {
  NONE("none"), GZIP("gzip"), ZSTD("zstd"), BZIP2("bzip2");

  private static final int STREAM_BUFFER = 1 << 16;

  final String label;

  Compression(String label) {
    this.label = label;
  }

  static Compression detect(byte[] head, int n) {
    if (n >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B) {
      return GZIP;
    }
    if (n >= 4 && (head[0] & 0xFF) == 0x28 && (head[1] & 0xFF) == 0xB5 && (head[2] & 0xFF) == 0x2F
        && (head[3] & 0xFF) == 0xFD) {
      return ZSTD;
    }
    if (n >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
      return BZIP2;
    }
    return NONE;
  }

  /** Wraps a raw stream positioned at offset 0. GZIP reads every member of a multi-member file. */
  InputStream decompress(InputStream raw) throws IOException {
    return switch (this) {
      case NONE -> raw;
      case GZIP -> new GZIPInputStream(raw, STREAM_BUFFER);
      case ZSTD -> new ZstdInputStream(new BufferedInputStream(raw, STREAM_BUFFER));
      case BZIP2 -> new BZip2CompressorInputStream(new BufferedInputStream(raw, STREAM_BUFFER), true);
    };
  }

  String unsplittableReason() {
    return this == NONE ? null : label + "-compressed: read whole by one task";
  }
}
