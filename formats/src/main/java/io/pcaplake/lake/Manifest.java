package io.pcaplake.lake;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a lake holds: the captures ingested so far and the context the next run needs. Stored as one small TSV per
 * committed run under {@code _pcaplake/manifest/} ({@code 000001-RUN.tsv}, numbered in commit order), each written
 * whole before it is moved into place (the last step of a commit, see {@link CommitJournal}); a later file's entry
 * for a path replaces an earlier one, and the latest file's context list is the current one. Lines:
 * <pre>
 * #pcaplake-manifest v1
 * file  PATH  SIZE  MTIME_MS  FINGERPRINT  RUN  FIRST_TS_NS  LAST_TS_NS
 * context  PATH
 * </pre>
 * (tab-separated; {@code %}, tab, CR and LF in paths written as {@code %25 %09 %0D %0A}; an unknown time is
 * {@code -}). The fingerprint ({@link #fingerprint}) is SHA-256 over the size and the first and last MiB, so
 * deciding what is new reads at most 2 MiB per file. Context files are captures of earlier runs that hold
 * connections still open at the end of the last run: the next run re-reads them so that such a connection comes
 * out once, whole ({@code docs/lake.md}).
 */
public final class Manifest {
  static final String HEADER = "#pcaplake-manifest v1";
  static final int EDGE = 1 << 20;

  private final Map<String, Entry> files;
  private final Set<String> context;
  private final int lastSeq;

  /** One ingested capture. Times are capture times in ns since the epoch, null when the file had no records. */
  public record Entry(String path, long size, long mtimeMillis, String fingerprint, String runId, Long firstTsNs,
                      Long lastTsNs) { }

  /** What a listed file is, compared with the manifest. */
  public enum Change { NEW, UNCHANGED, CHANGED }

  private Manifest(Map<String, Entry> files, Set<String> context, int lastSeq) {
    this.files = Collections.unmodifiableMap(files);
    this.context = Collections.unmodifiableSet(context);
    this.lastSeq = lastSeq;
  }

  public static Manifest empty() {
    return new Manifest(new TreeMap<>(), new LinkedHashSet<>(), 0);
  }

  /** Reads every committed manifest file of the lake (none: empty). */
  public static Manifest load(FileSystem fs, LakePaths lake) throws IOException {
    Path dir = lake.manifestDir();
    if (!fs.exists(dir)) {
      return empty();
    }
    TreeMap<Integer, Path> byseq = new TreeMap<>();
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      int dash = name.indexOf('-');
      if (name.endsWith(".tsv") && dash > 0) {
        try {
          byseq.put(Integer.parseInt(name.substring(0, dash)), s.getPath());
        } catch (NumberFormatException e) {
          // not ours
        }
      }
    }
    Map<String, Entry> files = new TreeMap<>();
    Set<String> context = new LinkedHashSet<>();
    for (Path p : byseq.values()) {
      context = new LinkedHashSet<>();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
        String header = r.readLine();
        if (!HEADER.equals(header)) {
          throw new IOException(p + ": not a pcaplake manifest (first line " + header + ")");
        }
        for (String line; (line = r.readLine()) != null; ) {
          String[] f = line.split("\t", -1);
          if (f[0].equals("file") && f.length == 8) {
            Entry e = new Entry(unescape(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), f[4], f[5], time(f[6]),
                time(f[7]));
            files.put(e.path(), e);
          } else if (f[0].equals("context") && f.length == 2) {
            context.add(unescape(f[1]));
          } else if (!line.isEmpty()) {
            throw new IOException(p + ": bad manifest line: " + line);
          }
        }
      }
    }
    return new Manifest(files, context, byseq.isEmpty() ? 0 : byseq.lastKey());
  }

  public Map<String, Entry> files() {
    return files;
  }

  /** Captures of earlier runs to re-read with the next run's new files. */
  public Set<String> context() {
    return context;
  }

  /** Compares a listed file with its entry: unchanged when size and fingerprint agree (the mtime is not trusted). */
  public Change change(String path, long size, String fingerprint) {
    Entry e = files.get(path);
    if (e == null) {
      return Change.NEW;
    }
    return e.size() == size && e.fingerprint().equals(fingerprint) ? Change.UNCHANGED : Change.CHANGED;
  }

  /** Where the manifest file of the next committed run goes. */
  public Path nextFile(LakePaths lake, String runId) {
    return new Path(lake.manifestDir(), String.format("%06d-%s.tsv", lastSeq + 1, LakePaths.checkRun(runId)));
  }

  /** Writes a run's manifest file (entries of the files it ingested, and the context for the next run). */
  public static void write(FileSystem fs, Path file, Collection<Entry> entries, Collection<String> context)
      throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Entry e : entries) {
      sb.append("file\t").append(escape(e.path())).append('\t').append(e.size()).append('\t')
          .append(e.mtimeMillis()).append('\t').append(e.fingerprint()).append('\t').append(e.runId()).append('\t')
          .append(e.firstTsNs() == null ? "-" : e.firstTsNs()).append('\t')
          .append(e.lastTsNs() == null ? "-" : e.lastTsNs()).append('\n');
    }
    for (String c : context) {
      sb.append("context\t").append(escape(c)).append('\n');
    }
    try (OutputStream out = fs.create(file, true)) {
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  /** SHA-256 (hex) over the file's size, its first MiB and its last MiB. */
  public static String fingerprint(FileSystem fs, FileStatus status) throws IOException {
    MessageDigest md = sha256();
    long size = status.getLen();
    md.update(Long.toString(size).getBytes(StandardCharsets.US_ASCII));
    try (FSDataInputStream in = fs.open(status.getPath())) {
      byte[] buf = new byte[(int) Math.min(EDGE, size)];
      in.readFully(0, buf);
      md.update(buf);
      if (size > EDGE) {
        long tail = Math.max(EDGE, size - EDGE);
        byte[] end = new byte[(int) (size - tail)];
        in.readFully(tail, end);
        md.update(end);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** SHA-256 (hex) of the whole file (the captures table's {@code sha256}, on request). */
  public static String sha256(FileSystem fs, Path file) throws IOException {
    MessageDigest md = sha256();
    byte[] buf = new byte[1 << 20];
    try (FSDataInputStream in = fs.open(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Long time(String s) {
    return s.equals("-") ? null : Long.valueOf(s);
  }

  static String escape(String s) {
    return s.replace("%", "%25").replace("\t", "%09").replace("\r", "%0D").replace("\n", "%0A");
  }

  static String unescape(String s) {
    return s.replace("%0A", "\n").replace("%0D", "\r").replace("%09", "\t").replace("%25", "%");
  }
}
