package io.pcaplake.local;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A {@link TableSink}'s own thread: the workers hand their rows over instead of taking turns at the sink under a lock,
 * so writing (Parquet, report.xml) overlaps reassembly instead of stalling the other worker. Rows keep the order each
 * worker produced them in (one FIFO queue). A sink failure is kept and thrown to the next worker that hands a row
 * over, or else by {@link #close}; after it, rows are discarded so no worker blocks.
 */
final class SinkThread implements AutoCloseable {
  /** Rows in flight: enough to ride out a Parquet page flush, a few MB of records at most. */
  static final int CAPACITY = 4096;
  private static final Runnable END = () -> { };

  private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Thread thread;
  private volatile Throwable failure;
  /** The failure was thrown to a worker already (the run ends with it from there; not thrown twice). */
  private volatile boolean reported;

  SinkThread() {
    thread = new Thread(this::loop, "pcaplake-sink");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    try {
      while (true) {
        Runnable r = queue.take();
        if (r == END) {
          return;
        }
        if (failure == null) {
          try {
            r.run();
          } catch (Throwable t) {
            failure = t;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Hands one call to the sink's thread; throws the sink's failure, if it failed. */
  void submit(Runnable call) {
    if (failure != null) {
      reported = true;
      rethrow(failure);
    }
    try {
      queue.put(call);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handing a row to the sink", e);
    }
  }

  /** Waits for every row handed over to be written; throws the sink's failure, if any. */
  @Override
  public void close() throws IOException {
    try {
      queue.put(END);
      thread.join();
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while the sink finished");
    }
    Throwable t = reported ? null : failure;
    if (t instanceof IOException io) {
      throw io;
    }
    rethrow(t);
  }

  private static void rethrow(Throwable t) {
    if (t instanceof RuntimeException re) {
      throw re;
    } else if (t instanceof Error er) {
      throw er;
    } else if (t != null) {
      throw new IllegalStateException("the table sink failed", t);
    }
  }
}
