package io.pcaplake.lake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The writer lock of a lake: the file {@code _pcaplake/lock}, created atomically with
 * {@code FileSystem.create(path, overwrite=false)} (one winner on HDFS and on a local disk), holding who owns it
 * (run id, host, pid, start time). Released by deleting it.
 *
 * <p>Stale rule: a lock is broken when its owner is on this host and its process is gone (a killed run), or when
 * it is older than {@code staleAfter} (an owner on another host that died; default 12 h, longer than any run). A
 * lock file that cannot be parsed is judged by its modification time.
 */
public final class LakeLock implements AutoCloseable {
  /** How long {@link #acquire} waits between attempts with {@code wait > 0}. */
  static final Duration POLL = Duration.ofMillis(500);
  public static final Duration DEFAULT_STALE_AFTER = Duration.ofHours(12);

  private final FileSystem fs;
  private final Path path;
  private final Owner owner;
  private boolean released;

  /** Who holds a lock. */
  public record Owner(String runId, String host, long pid, Instant since) {
    Properties toProperties() {
      Properties p = new Properties();
      p.setProperty("run", runId);
      p.setProperty("host", host);
      p.setProperty("pid", Long.toString(pid));
      p.setProperty("since", since.toString());
      return p;
    }

    static Owner parse(Properties p) {
      return new Owner(p.getProperty("run"), p.getProperty("host"), Long.parseLong(p.getProperty("pid")),
          Instant.parse(p.getProperty("since")));
    }

    @Override
    public String toString() {
      return "run " + runId + " (pid " + pid + " on " + host + ", since " + since + ")";
    }
  }

  /** Thrown when the lake is locked by a live owner. */
  public static final class LockedException extends IOException {
    private final Owner owner;

    LockedException(Path lake, Owner owner, String more) {
      super("lake " + lake + " is locked by " + (owner == null ? "an unknown owner" : owner.toString())
          + ": another ingest is running into it" + more);
      this.owner = owner;
    }

    public Owner owner() {
      return owner;
    }
  }

  private LakeLock(FileSystem fs, Path path, Owner owner) {
    this.fs = fs;
    this.path = path;
    this.owner = owner;
  }

  /**
   * Takes the lock of a lake.
   *
   * @param wait how long to wait for a live owner to finish; zero: fail at once with {@link LockedException}
   * @param staleAfter a lock older than this is broken (see the class comment)
   */
  public static LakeLock acquire(FileSystem fs, LakePaths lake, String runId, Duration wait, Duration staleAfter)
      throws IOException {
    Owner me = new Owner(runId, host(), ProcessHandle.current().pid(), Instant.now());
    long deadline = System.nanoTime() + wait.toNanos();
    Path path = lake.lock();
    while (true) {
      if (tryCreate(fs, path, me)) {
        return new LakeLock(fs, path, me);
      }
      Owner other = read(fs, path);
      if (isStale(fs, path, other, staleAfter)) {
        // Break it: delete, then race for create like everybody else (create is the arbiter).
        fs.delete(path, false);
        continue;
      }
      if (System.nanoTime() >= deadline) {
        throw new LockedException(lake.root(), other, wait.isZero() ? " (use --wait to wait for it)"
            : " (waited " + wait.toSeconds() + " s)");
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for the lock of " + lake.root(), e);
      }
    }
  }

  private static boolean tryCreate(FileSystem fs, Path path, Owner me) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    me.toProperties().store(b, "pcaplake lake lock");
    if ("file".equals(fs.getScheme())) {
      // Hadoop's local create(overwrite=false) checks and then creates (not atomic); O_CREAT|O_EXCL is.
      java.nio.file.Path file = java.nio.file.Path.of(fs.makeQualified(path).toUri());
      java.nio.file.Files.createDirectories(file.getParent());
      try {
        java.nio.file.Files.write(file, b.toByteArray(), java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE);
        return true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(path, false)) {
      out.write(b.toByteArray());
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      // Some file systems report an existing file with a plain IOException.
      if (fs.exists(path)) {
        return false;
      }
      throw e;
    }
  }

  /** The current owner, or null when the lake is not locked or the lock file is unreadable. */
  public static Owner read(FileSystem fs, Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      Properties p = new Properties();
      p.load(new java.io.InputStreamReader(in, StandardCharsets.ISO_8859_1));
      return Owner.parse(p);
    } catch (java.io.FileNotFoundException e) {
      return null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  static boolean isStale(FileSystem fs, Path path, Owner owner, Duration staleAfter) throws IOException {
    Instant since;
    if (owner != null) {
      if (owner.host().equals(host()) && ProcessHandle.of(owner.pid()).map(ProcessHandle::isAlive).orElse(false)
          == Boolean.FALSE && owner.pid() != ProcessHandle.current().pid()) {
        return true;
      }
      since = owner.since();
    } else {
      try {
        since = Instant.ofEpochMilli(fs.getFileStatus(path).getModificationTime());
      } catch (java.io.FileNotFoundException e) {
        return false;  // released meanwhile: the next create wins
      }
    }
    return since.plus(staleAfter).isBefore(Instant.now());
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown-host";
    }
  }

  public Owner owner() {
    return owner;
  }

  /** Deletes the lock file if it is still ours. */
  @Override
  public void close() throws IOException {
    if (released) {
      return;
    }
    released = true;
    Owner now = read(fs, path);
    if (now != null && now.runId().equals(owner.runId()) && now.pid() == owner.pid()) {
      fs.delete(path, false);
    }
  }
}
