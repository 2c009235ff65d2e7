package io.pcaplake.spark.ingest;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * The progress line of a local ingest on stderr, every 2 s while Spark works: tasks finished of the tasks
 * submitted, capture bytes read (input metrics of finished tasks, capped at the captures' size: later steps
 * re-read small amounts) of the bytes to read, records/s and an ETA for the read phase. Counted by a {@link SparkListener}; on a terminal the line is redrawn in place, else a new line
 * is printed every 10 s.
 */
final class IngestProgress extends SparkListener {
  private final SparkContext sc;
  private final PrintStream err;
  private final long t0 = System.nanoTime();
  private final AtomicLong tasksDone = new AtomicLong();
  private final AtomicLong tasksSubmitted = new AtomicLong();
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong recordsRead = new AtomicLong();
  private final boolean terminal = System.console() != null;
  private volatile long totalBytes;
  private Thread printer;

  private IngestProgress(SparkContext sc, PrintStream err) {
    this.sc = sc;
    this.err = err;
  }

  static IngestProgress start(SparkSession spark, PrintStream err) {
    IngestProgress p = new IngestProgress(spark.sparkContext(), err);
    p.sc.addSparkListener(p);
    scala.Option<String> ui = p.sc.uiWebUrl();
    if (ui.isDefined()) {
      err.println("Spark UI: " + ui.get());
    }
    if (!p.sc.isLocal()) {
      return p;  // a cluster has its own UI; the line is for local runs
    }
    p.printer = new Thread(p::loop, "pcaplake-progress");
    p.printer.setDaemon(true);
    p.printer.start();
    return p;
  }

  /** The capture bytes the run reads (for the percentage and ETA). */
  void totalBytes(long bytes) {
    totalBytes = bytes;
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted s) {
    tasksSubmitted.addAndGet(s.stageInfo().numTasks());
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd e) {
    tasksDone.incrementAndGet();
    TaskMetrics m = e.taskMetrics();
    if (m != null) {
      bytesRead.addAndGet(m.inputMetrics().bytesRead());
      recordsRead.addAndGet(m.inputMetrics().recordsRead());
    }
  }

  private void loop() {
    long lastLine = 0;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(2000);
        long now = System.nanoTime();
        if (terminal) {
          err.print("\r" + line() + "   ");
          err.flush();
        } else if (now - lastLine >= 10_000_000_000L) {
          err.println(line());
          lastLine = now;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String line() {
    double s = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
    long total = totalBytes;
    // Input bytes of every finished task: the captures first, then (small) re-reads of the lake and of the
    // persisted result; capped at the captures' size.
    long read = total > 0 ? Math.min(total, bytesRead.get()) : bytesRead.get();
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "ingest: tasks %d/%d, captures %s read",
        tasksDone.get(), tasksSubmitted.get(), mb(read)));
    if (total > 0) {
      sb.append(String.format(Locale.ROOT, " of %s (%d%%)", mb(total), Math.min(100, read * 100 / total)));
    }
    sb.append(String.format(Locale.ROOT, ", %.0f records/s, %.1f MB/s", recordsRead.get() / s, read / 1e6 / s));
    if (total > 0 && read > 0 && read < total) {
      sb.append(String.format(Locale.ROOT, ", read ETA %.0f s", s * (total - read) / read));
    }
    sb.append(String.format(Locale.ROOT, ", %.0f s", s));
    return sb.toString();
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  void stop() {
    sc.removeSparkListener(this);
    if (printer == null) {
      return;
    }
    printer.interrupt();
    try {
      printer.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (terminal) {
      err.println();
    }
  }
}
