package io.pcaplake.lake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lake's bookkeeping on a real (local) Hadoop file system: lock, manifest, commit journal. */
class LakeBookkeepingTest {
  @TempDir java.nio.file.Path dir;
  FileSystem fs;
  LakePaths lake;

  @BeforeEach
  void setUp() throws IOException {
    fs = FileSystem.getLocal(new Configuration());
    lake = new LakePaths(fs.makeQualified(new Path(dir.resolve("lake").toString())));
  }

  @Test
  void exactlyOneOfManyConcurrentWritersGetsTheLock() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<LakeLock>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String run = "run" + i;
        results.add(pool.submit((Callable<LakeLock>) () -> {
          try {
            return LakeLock.acquire(fs, lake, run, Duration.ZERO, LakeLock.DEFAULT_STALE_AFTER);
          } catch (LakeLock.LockedException e) {
            return null;
          }
        }));
      }
      List<LakeLock> winners = new ArrayList<>();
      for (Future<LakeLock> f : results) {
        if (f.get() != null) {
          winners.add(f.get());
        }
      }
      assertEquals(1, winners.size());
      LakeLock.Owner owner = LakeLock.read(fs, lake.lock());
      assertEquals(winners.get(0).owner().runId(), owner.runId());
      assertEquals(ProcessHandle.current().pid(), owner.pid());
      winners.get(0).close();
      assertFalse(fs.exists(lake.lock()));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aLiveOwnerIsWaitedForAndAnOldLockIsStale() throws Exception {
    try (LakeLock held = LakeLock.acquire(fs, lake, "a", Duration.ZERO, LakeLock.DEFAULT_STALE_AFTER)) {
      LakeLock.LockedException e = assertThrows(LakeLock.LockedException.class,
          () -> LakeLock.acquire(fs, lake, "b", Duration.ofMillis(600), LakeLock.DEFAULT_STALE_AFTER));
      assertEquals("a", e.owner().runId());
      assertTrue(e.getMessage().contains("waited"), e.getMessage());
    }
    // An owner on another host, older than the stale limit: broken.
    Files.createDirectories(dir.resolve("lake/_pcaplake"));
    Files.writeString(dir.resolve("lake/_pcaplake/lock"), "run=old\nhost=elsewhere.invalid\npid=1\nsince="
        + Instant.now().minus(Duration.ofHours(13)) + "\n");
    try (LakeLock l = LakeLock.acquire(fs, lake, "c", Duration.ZERO, LakeLock.DEFAULT_STALE_AFTER)) {
      assertEquals("c", LakeLock.read(fs, lake.lock()).runId());
    }
    // The same, recent: not stale.
    Files.writeString(dir.resolve("lake/_pcaplake/lock"), "run=recent\nhost=elsewhere.invalid\npid=1\nsince="
        + Instant.now() + "\n");
    assertThrows(LakeLock.LockedException.class,
        () -> LakeLock.acquire(fs, lake, "d", Duration.ZERO, LakeLock.DEFAULT_STALE_AFTER));
  }

  @Test
  void manifestFilesAddUpInCommitOrderAndTheLastContextWins() throws IOException {
    java.nio.file.Path cap = dir.resolve("a.pcap");
    byte[] big = new byte[3 << 20];
    new java.util.Random(1).nextBytes(big);
    Files.write(cap, big);
    Path p = new Path(cap.toUri());
    String fp = Manifest.fingerprint(fs, fs.getFileStatus(p));
    Manifest m0 = Manifest.load(fs, lake);
    assertEquals(Manifest.Change.NEW, m0.change(p.toString(), big.length, fp));
    Path f1 = m0.nextFile(lake, "r1");
    Manifest.write(fs, f1, List.of(new Manifest.Entry(p.toString(), big.length, 5, fp, "r1", 10L, null),
        new Manifest.Entry("file:/odd\tname%", 1, 1, "x", "r1", null, null)), List.of(p.toString()));
    Manifest m1 = Manifest.load(fs, lake);
    assertEquals(Manifest.Change.UNCHANGED, m1.change(p.toString(), big.length, fp));
    assertEquals(Manifest.Change.CHANGED, m1.change(p.toString(), big.length, "other"));
    assertEquals(List.of(p.toString()), new ArrayList<>(m1.context()));
    assertEquals(new Manifest.Entry("file:/odd\tname%", 1, 1, "x", "r1", null, null), m1.files().get("file:/odd\tname%"));
    assertTrue(m1.nextFile(lake, "r2").getName().startsWith("000002-"));
    Manifest.write(fs, m1.nextFile(lake, "r2"), List.of(), List.of());
    Manifest m2 = Manifest.load(fs, lake);
    assertTrue(m2.context().isEmpty());
    assertEquals(2, m2.files().size());

    // A change in the last MiB changes the fingerprint.
    big[big.length - 1] ^= 1;
    Files.write(cap, big);
    assertNotEquals(fp, Manifest.fingerprint(fs, fs.getFileStatus(p)));
  }

  @Test
  void aJournalAppliedTwiceOrAfterACrashGivesTheSameLake() throws IOException {
    Path staged = new Path(lake.staging("r"), "flows/dt=2026-01-01/part-0.parquet");
    Path target = new Path(lake.root(), "flows/dt=2026-01-01/part-0.parquet");
    Path old = new Path(lake.root(), "flows/dt=2026-01-01/part-old.parquet");
    Path stagedManifest = new Path(lake.staging("r"), "manifest.tsv");
    write(staged, "new");
    write(old, "old");
    Manifest.write(fs, stagedManifest, List.of(), List.of());
    Path manifestTarget = Manifest.empty().nextFile(lake, "r");
    CommitJournal j = new CommitJournal("r", List.of(CommitJournal.Op.manifest(stagedManifest, manifestTarget),
        CommitJournal.Op.delete(old), CommitJournal.Op.move(staged, target)));
    assertEquals(List.of("move", "delete", "manifest"), j.ops().stream().map(CommitJournal.Op::kind).toList());
    j.write(fs, lake);
    // Crash after the first step: only the move happened.
    RuntimeException crash = assertThrows(RuntimeException.class, () -> j.apply(fs, lake, i -> {
      throw new RuntimeException("killed after step " + i);
    }));
    assertEquals("killed after step 0", crash.getMessage());
    assertTrue(fs.exists(target) && fs.exists(old) && !fs.exists(manifestTarget));
    CommitJournal.Recovery r = CommitJournal.recover(fs, lake);
    assertEquals(List.of("r"), r.rolledForward());
    assertTrue(fs.exists(target));
    assertFalse(fs.exists(old));
    assertTrue(fs.exists(manifestTarget));
    assertFalse(fs.exists(lake.staging("r")));
    assertFalse(fs.exists(lake.journal("r")));
    assertEquals(Map.of(), Manifest.load(fs, lake).files());
    // A staging directory without a journal is a failed run: discarded, the lake untouched.
    write(new Path(lake.staging("failed"), "flows/x"), "x");
    CommitJournal.Recovery r2 = CommitJournal.recover(fs, lake);
    assertEquals(List.of("failed"), r2.discarded());
    assertFalse(fs.exists(lake.staging("failed")));
    assertTrue(fs.exists(target));
  }

  private void write(Path p, String text) throws IOException {
    try (var out = fs.create(p, true)) {
      out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
