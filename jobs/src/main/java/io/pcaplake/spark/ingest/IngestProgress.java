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
  private final long t0 = System.nanoTime();
  private final AtomicLong tasksDone = new AtomicLong();
  private final AtomicLong tasksSubmitted = new AtomicLong();
  private final AtomicLong bytesRead = new AtomicLong();
  private final AtomicLong recordsRead = new AtomicLong();
  private volatile long totalBytes;
  private final ProgressLine ticker;

  private IngestProgress(SparkContext sc, PrintStream err) {
    this.sc = sc;
    this.ticker = new ProgressLine(err, this::line);
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
    p.ticker.start();
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

  String line() {
    double s = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
    long total = totalBytes;
    // Input bytes of every finished task: the captures first, then (small) re-reads of the lake and of the
    // persisted result; capped at the captures' size.
    long read = ProgressLine.capped(bytesRead.get(), total);
    return String.format(Locale.ROOT, "ingest: tasks %d/%d, captures %.1f MB read", tasksDone.get(),
        tasksSubmitted.get(), read / 1e6)
        + ProgressLine.ofTotal(read, total)
        + String.format(Locale.ROOT, ", %.0f records/s, %.1f MB/s", recordsRead.get() / s, read / 1e6 / s)
        + ProgressLine.etaAndElapsed(read, total, s);
  }

  void stop() {
    sc.removeSparkListener(this);
    ticker.stop();
  }
}
