package io.pcaplake.lake;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * How a run's staged output becomes part of the lake, written down before anything in the lake changes, so that an
 * interrupted commit is finished by the next run (roll forward). A run stages every file it will add under
 * {@code _pcaplake/staging/RUN/}, then writes the journal ({@code _pcaplake/journal/RUN.journal}, via a temporary
 * name and a rename: it exists whole or not at all). Its existence is the commit point. {@link #apply} then
 * <ol>
 *   <li>moves each staged file into the lake ({@code move}),</li>
 *   <li>deletes the lake files the run rewrote ({@code delete}: their surviving rows are in staged files),</li>
 *   <li>moves the run's manifest file into place ({@code manifest}: last, so a run is "ingested" only when its
 *       rows are),</li>
 *   <li>deletes the staging directory and the journal.</li>
 * </ol>
 * Every step is idempotent (a move whose source is gone and whose target exists is done), so applying a journal
 * again after a crash at any point gives the same lake. A staging directory without a journal is a run that failed
 * before its commit point: {@link #recover} deletes it and the lake is as before that run.
 */
public final class CommitJournal {
  static final String HEADER = "#pcaplake-journal v1";

  /** One step. {@code to} is null for a delete. */
  public record Op(String kind, Path from, Path to) {
    public static Op move(Path from, Path to) {
      return new Op("move", from, to);
    }

    public static Op delete(Path path) {
      return new Op("delete", path, null);
    }

    public static Op manifest(Path from, Path to) {
      return new Op("manifest", from, to);
    }
  }

  private final String runId;
  private final List<Op> ops;

  public CommitJournal(String runId, List<Op> ops) {
    this.runId = LakePaths.checkRun(runId);
    List<Op> sorted = new ArrayList<>();
    for (String kind : List.of("move", "delete", "manifest")) {
      ops.stream().filter(o -> o.kind().equals(kind)).forEach(sorted::add);
    }
    if (sorted.size() != ops.size()) {
      throw new IllegalArgumentException("unknown journal step in " + ops);
    }
    this.ops = List.copyOf(sorted);
  }

  public String runId() {
    return runId;
  }

  public List<Op> ops() {
    return ops;
  }

  /** Writes the journal (the commit point): to a temporary name, then renamed. */
  public void write(FileSystem fs, LakePaths lake) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n').append("run\t").append(runId).append('\n');
    for (Op o : ops) {
      sb.append(o.kind()).append('\t').append(Manifest.escape(o.from().toString()));
      if (o.to() != null) {
        sb.append('\t').append(Manifest.escape(o.to().toString()));
      }
      sb.append('\n');
    }
    sb.append("end\n");
    Path target = lake.journal(runId);
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
    fs.mkdirs(target.getParent());
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
    if (!fs.rename(tmp, target)) {
      throw new IOException("cannot rename " + tmp + " to " + target);
    }
  }

  /** Reads a journal; a file without its {@code end} line is not a journal (the rename makes this unexpected). */
  public static CommitJournal read(FileSystem fs, Path file) throws IOException {
    String run = null;
    List<Op> ops = new ArrayList<>();
    boolean end = false;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
      if (!HEADER.equals(r.readLine())) {
        throw new IOException(file + ": not a pcaplake journal");
      }
      for (String line; (line = r.readLine()) != null; ) {
        String[] f = line.split("\t", -1);
        switch (f[0]) {
          case "run" -> run = f[1];
          case "move", "manifest" -> ops.add(new Op(f[0], new Path(Manifest.unescape(f[1])),
              new Path(Manifest.unescape(f[2]))));
          case "delete" -> ops.add(Op.delete(new Path(Manifest.unescape(f[1]))));
          case "end" -> end = true;
          default -> throw new IOException(file + ": bad journal line: " + line);
        }
      }
    }
    if (!end || run == null) {
      throw new IOException(file + ": incomplete journal");
    }
    return new CommitJournal(run, ops);
  }

  /** Applies every step (see the class comment); {@code afterStep} is told the index of each step done. */
  public void apply(FileSystem fs, LakePaths lake, IntConsumer afterStep) throws IOException {
    for (int i = 0; i < ops.size(); i++) {
      Op o = ops.get(i);
      if (o.kind().equals("delete")) {
        fs.delete(o.from(), false);
      } else {
        move(fs, o.from(), o.to());
      }
      afterStep.accept(i);
    }
    fs.delete(lake.staging(runId), true);
    fs.delete(lake.journal(runId), false);
  }

  private static void move(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.exists(from)) {
      if (fs.exists(to)) {
        return;  // done before an interruption
      }
      throw new IOException("journal step lost: neither " + from + " nor " + to + " exists");
    }
    fs.mkdirs(to.getParent());
    if (fs.exists(to)) {
      fs.delete(to, false);  // a half-finished earlier attempt; the staged file is the truth
    }
    if (!fs.rename(from, to)) {
      throw new IOException("cannot move " + from + " to " + to);
    }
  }

  /** What {@link #recover} did. */
  public record Recovery(List<String> rolledForward, List<String> discarded) {
    public boolean isEmpty() {
      return rolledForward.isEmpty() && discarded.isEmpty();
    }
  }

  /**
   * Finishes every committed run (journal present) and discards every staged run without a journal. Call with
   * the lake's lock held, before reading the manifest.
   */
  public static Recovery recover(FileSystem fs, LakePaths lake) throws IOException {
    List<String> forward = new ArrayList<>();
    List<String> discarded = new ArrayList<>();
    if (fs.exists(lake.journalDir())) {
      for (FileStatus s : fs.listStatus(lake.journalDir())) {
        String name = s.getPath().getName();
        if (name.endsWith(".journal") && !name.startsWith(".")) {
          CommitJournal j = read(fs, s.getPath());
          j.apply(fs, lake, i -> { });
          forward.add(j.runId());
        } else if (name.endsWith(".tmp")) {
          fs.delete(s.getPath(), false);
        }
      }
    }
    if (fs.exists(lake.stagingDir())) {
      for (FileStatus s : fs.listStatus(lake.stagingDir())) {
        fs.delete(s.getPath(), true);
        discarded.add(s.getPath().getName());
      }
    }
    return new Recovery(forward, discarded);
  }
}
