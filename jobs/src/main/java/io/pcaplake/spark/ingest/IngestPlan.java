package io.pcaplake.spark.ingest;

import io.pcaplake.capture.CaptureInfo;
import io.pcaplake.capture.Captures;
import io.pcaplake.hadoop.HadoopByteSource;
import io.pcaplake.lake.Manifest;
import io.pcaplake.spark.PcapDataSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * What a run has to read, decided on the driver without Spark: every listed capture is fingerprinted (size, first
 * and last MiB) and sniffed, then compared with the manifest: new, changed (its rows are replaced), unchanged
 * (skipped, or re-ingested with {@code --reingest}), or unreadable (it could not be opened: a captures row and a
 * {@code capture.io_error} anomaly; not recorded in the manifest, so the next run tries it again).
 */
record IngestPlan(int listed, List<String> newFiles, List<String> changed, List<String> forced, List<String> skipped,
                  Map<String, String> unreadable, Map<String, Facts> facts) {

  /** What the driver learnt about a readable file. */
  record Facts(long size, long mtimeMillis, String fingerprint, CaptureInfo info) { }

  /** A file's size: from this plan's facts, else (a context file of an earlier run) from its filesystem. */
  long size(String file, Configuration conf) throws IOException {
    Facts f = facts.get(file);
    if (f != null) {
      return f.size();
    }
    Path p = new Path(file);
    return p.getFileSystem(conf).getFileStatus(p).getLen();
  }

  static IngestPlan make(Configuration conf, IngestOptions o, Manifest manifest) throws IOException {
    Map<String, Long> listed = PcapDataSource.listFiles(conf, o.inputs());
    List<String> news = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> forced = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    Map<String, String> unreadable = new LinkedHashMap<>();
    Map<String, Facts> facts = new LinkedHashMap<>();
    for (String file : listed.keySet()) {
      Path p = new Path(file);
      Facts f;
      try {
        FileSystem fs = p.getFileSystem(conf);
        FileStatus st = fs.getFileStatus(p);
        String fp = Manifest.fingerprint(fs, st);
        CaptureInfo info = Captures.sniff(new HadoopByteSource(fs, p).withLength(st.getLen()));
        f = new Facts(st.getLen(), st.getModificationTime(), fp, info);
      } catch (IOException e) {
        unreadable.put(file, e.toString());
        continue;
      }
      facts.put(file, f);
      switch (manifest.change(file, f.size(), f.fingerprint())) {
        case NEW -> news.add(file);
        case CHANGED -> changed.add(file);
        case UNCHANGED -> (o.reingest() ? forced : skipped).add(file);
        default -> throw new IllegalStateException();
      }
    }
    return new IngestPlan(listed.size(), news, changed, forced, skipped, unreadable, facts);
  }

  /** Files this run reads and writes rows for. */
  List<String> runFiles() {
    List<String> l = new ArrayList<>(newFiles);
    l.addAll(changed);
    l.addAll(forced);
    return l;
  }

  /** Files whose earlier rows this run replaces. */
  List<String> replaced() {
    List<String> l = new ArrayList<>(changed);
    l.addAll(forced);
    return l;
  }

  boolean nothingToDo() {
    return runFiles().isEmpty() && unreadable.isEmpty();
  }
}
