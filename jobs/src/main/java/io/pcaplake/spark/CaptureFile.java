package io.pcaplake.spark;

import java.io.Serializable;
import java.util.List;

/**
 * One listed input file: its fully qualified path, its length on disk and where its blocks live (for task
 * locality on HDFS; empty when the file system does not say).
 */
record CaptureFile(String path, long length, List<Block> blocks) implements Serializable {
  CaptureFile {
    blocks = List.copyOf(blocks);
  }

  CaptureFile(String path, long length) {
    this(path, length, List.of());
  }

  /** One block: {@code [offset, offset + length)} stored on {@code hosts}. */
  record Block(long offset, long length, List<String> hosts) implements Serializable {
    Block {
      hosts = List.copyOf(hosts);
    }
  }

  /** The hosts of the block holding {@code offset}, or none. */
  List<String> hostsAt(long offset) {
    for (Block b : blocks) {
      if (offset >= b.offset() && offset < b.offset() + b.length()) {
        return b.hosts();
      }
    }
    return List.of();
  }
}
