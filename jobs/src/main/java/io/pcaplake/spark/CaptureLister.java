package io.pcaplake.spark;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Expands load paths into capture files: a file is taken as is, a directory is walked recursively, a glob is
 * expanded (and each match treated the same way). Inside directories, names starting with {@code .} or {@code _}
 * are skipped, as Spark's file sources do ({@code _SUCCESS}, {@code .crc}). A load path that matches nothing is a
 * usage error; files are never judged by extension (sniffing decides later).
 */
final class CaptureLister {
  private CaptureLister() { }

  static List<CaptureFile> list(List<String> paths, Configuration conf) {
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("format(\"pcap\") needs at least one path: load(\"dir-or-file-or-glob\")");
    }
    TreeMap<String, CaptureFile> files = new TreeMap<>();
    try {
      for (String p : paths) {
        Path path = new Path(p);
        FileSystem fs = path.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(path);
        if (matches == null || matches.length == 0) {
          throw new IllegalArgumentException("Path does not exist: " + fs.makeQualified(path));
        }
        for (FileStatus m : matches) {
          if (m.isDirectory()) {
            walk(fs, m.getPath(), files);
          } else {
            add(m, fs.getFileBlockLocations(m, 0, m.getLen()), files);
          }
        }
      }
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException("Path does not exist: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + paths, e);
    }
    return new ArrayList<>(files.values());
  }

  private static void walk(FileSystem fs, Path dir, TreeMap<String, CaptureFile> files) throws IOException {
    int depth = dir.depth();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
    while (it.hasNext()) {
      LocatedFileStatus s = it.next();
      if (!hiddenBelow(s.getPath(), depth)) {
        add(s, s.getBlockLocations(), files);
      }
    }
  }

  /** True when any path component below the listed directory starts with '.' or '_'. */
  private static boolean hiddenBelow(Path p, int dirDepth) {
    for (Path q = p; q != null && q.depth() > dirDepth; q = q.getParent()) {
      String name = q.getName();
      if (name.startsWith(".") || name.startsWith("_")) {
        return true;
      }
    }
    return false;
  }

  private static void add(FileStatus s, BlockLocation[] locations, TreeMap<String, CaptureFile> files)
      throws IOException {
    List<CaptureFile.Block> blocks = new ArrayList<>();
    for (BlockLocation b : locations == null ? new BlockLocation[0] : locations) {
      List<String> hosts = List.of(b.getHosts()).stream().filter(h -> !h.equals("localhost")).toList();
      blocks.add(new CaptureFile.Block(b.getOffset(), b.getLength(), hosts));
    }
    String path = s.getPath().toString();
    files.putIfAbsent(path, new CaptureFile(path, s.getLen(), blocks));
  }
}
