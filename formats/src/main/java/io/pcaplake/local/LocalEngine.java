package io.pcaplake.local;

import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.flow.FlowOutput;
import io.pcaplake.flow.FlowTable;
import io.pcaplake.http.HttpExchange;
import io.pcaplake.http.HttpRecord;
import io.pcaplake.http.HttpStage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * The public door of the local engine ({@code docs/local.md}): the same core as the Spark engine, in one process,
 * for one capture or a few. Inputs are merged in capture-time order ({@link CaptureMerge}), TCP segments go to a
 * {@link FlowTable} (one reassembler per active key, keys ended when closed or idle in capture time), the HTTP stage
 * runs on the reassembled streams, and rows go to a {@link TableSink} as connections end: the same
 * {@link ConnectionRecord}, {@link HttpRecord} and {@link AnomalyRecord} values, with the same {@code flow_id}s, as
 * the Spark engine makes.
 *
 * <p>With {@link LocalOptions#threads()} N &gt; 1, reading and decoding run on their own thread, and reassembly and
 * HTTP on N workers, each with its own flow table for the keys whose hash falls to it (a connection is always on one
 * worker, so its rows are what one worker would make). Batches of copied segments go from the reader to each worker
 * over a queue of {@value #QUEUE} batches (memory bound: the batches in flight plus the flow tables). The sink is
 * called from its own thread ({@link SinkThread}, at most {@value SinkThread#CAPACITY} rows queued), in each
 * connection's order; rows of different connections may interleave differently from run to run.
 */
public final class LocalEngine {
  static final int QUEUE = 3;

  private LocalEngine() { }

  /** Reads {@code inputs} and sends every row to {@code sink}; returns what was done. */
  public static LocalSummary run(List<CaptureInput> inputs, LocalOptions options, TableSink sink)
      throws IOException {
    return run(inputs, options, sink, null);
  }

  /**
   * As {@link #run(List, LocalOptions, TableSink)}, also handing each http row with its parsed exchange (decoded
   * body prefixes) to {@code exchanges}, for consoles; null for none. With more than one worker, {@code exchanges}
   * is called from the workers' threads and must be thread-safe ({@link HttpPrinter} is); the sink is called from
   * its own thread ({@link SinkThread}) unless it is {@link TableSink#NONE}.
   */
  public static LocalSummary run(List<CaptureInput> inputs, LocalOptions options, TableSink sink,
                                 BiConsumer<HttpRecord, HttpExchange> exchanges) throws IOException {
    Objects.requireNonNull(sink, "sink");
    long t0 = System.nanoTime();
    int n = options.threads();
    CaptureMerge merge = new CaptureMerge(inputs, options.filter());
    sink.started(merge::records);
    SinkThread writer = n == 1 || sink == TableSink.NONE ? null : new SinkThread();
    Shard[] shards = new Shard[n];
    for (int i = 0; i < n; i++) {
      shards[i] = new Shard(merge, options, sink, exchanges, writer);
    }
    try (merge; writer) {
      if (n == 1) {
        SegmentBatch[] two = {new SegmentBatch(), new SegmentBatch()};  // one filled, one holding reordered segments
        SegmentBatch b;
        int k = 0;
        do {
          b = two[k];
          k ^= 1;
          merge.fill(b);
          shards[0].consume(b);
        } while (!b.last);
        shards[0].table.finish();
      } else {
        pipelined(merge, shards);
      }
    }
    long segments = 0;
    long connections = 0;
    long http = 0;
    long anomalies = 0;
    int peak = 0;
    long full = 0;
    for (Shard s : shards) {
      segments += s.table.packets();
      connections += s.table.connections();
      http += s.httpRows;
      anomalies += s.anomalies;
      peak += s.table.peakSize();
      full += s.table.keysEndedFull();
    }
    return new LocalSummary(inputs.size(), merge.records(), segments, connections, http, anomalies, peak, full,
        System.nanoTime() - t0);
  }

  /** One reader thread filling a batch per shard, one worker thread per shard; rethrows the first failure. */
  private static void pipelined(CaptureMerge merge, Shard[] shards) throws IOException {
    int n = shards.length;
    List<BlockingQueue<SegmentBatch>> full = new ArrayList<>();
    List<BlockingQueue<SegmentBatch>> free = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      full.add(new ArrayBlockingQueue<>(QUEUE));
      BlockingQueue<SegmentBatch> f = new ArrayBlockingQueue<>(QUEUE + 2);
      for (int k = 0; k < QUEUE + 2; k++) {
        f.add(new SegmentBatch());
      }
      free.add(f);
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    threads.add(new Thread(() -> {
      SegmentBatch[] bs = new SegmentBatch[n];
      try {
        while (true) {
          for (int i = 0; i < n; i++) {
            bs[i] = free.get(i).take();
          }
          try {
            merge.fill(bs);
          } catch (Throwable t) {
            failure.compareAndSet(null, t);
            for (SegmentBatch b : bs) {
              b.last = true;
            }
          }
          for (int i = 0; i < n; i++) {
            full.get(i).put(bs[i]);
          }
          if (bs[0].last) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "pcaplake-read"));
    for (int i = 0; i < n; i++) {
      Shard shard = shards[i];
      BlockingQueue<SegmentBatch> in = full.get(i);
      BlockingQueue<SegmentBatch> back = free.get(i);
      threads.add(new Thread(() -> {
        try {
          while (true) {
            SegmentBatch b = in.take();
            boolean last = b.last;
            SegmentBatch done = b;
            if (failure.get() == null) {
              try {
                done = shard.consume(b);
                if (last) {
                  shard.finish();
                }
              } catch (Throwable t) {
                failure.compareAndSet(null, t);
              }
            }
            if (done != null) {
              back.put(done);
            }
            if (last) {
              return;
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "pcaplake-flows-" + i));
    }
    for (Thread t : threads) {
      t.setDaemon(true);
      t.start();
    }
    try {
      for (Thread t : threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      threads.forEach(Thread::interrupt);
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    }
    Throwable t = failure.get();
    if (t instanceof IOException io) {
      throw io;
    } else if (t instanceof RuntimeException re) {
      throw re;
    } else if (t instanceof Error er) {
      throw er;
    } else if (t != null) {
      throw new IOException(t);
    }
  }

  /** The consumer side of one shard: a flow table, its HTTP stage, the sink (through the sink's thread, if any). */
  private static final class Shard implements FlowOutput {
    final FlowTable table;
    final TableSink sink;
    final HttpStage http;
    /** The sink's thread with several workers; null: call the sink directly. */
    final SinkThread writer;
    final BiConsumer<HttpRecord, HttpExchange> exchanges;
    final Reorder reorder = new Reorder();
    long httpRows;
    long anomalies;

    Shard(CaptureMerge merge, LocalOptions o, TableSink sink, BiConsumer<HttpRecord, HttpExchange> exchanges,
          SinkThread writer) {
      this.sink = sink;
      this.writer = writer;
      this.exchanges = exchanges;
      this.table = new FlowTable(o.tcpLimits(), o.flowLimits(), merge::fileName, this);
      if (o.streams() != null) {
        http = null;
        table.streams(o.streams());
      } else if (o.http()) {
        // Rows that reach no table and a printer that shows no hash: skip SHA-256 of the bodies.
        boolean hash = sink != TableSink.NONE || !(exchanges instanceof HttpPrinter p) || p.showsBodyHashes();
        http = new HttpStage(o.httpLimits(), o.secrets(), table::currentCaptureFile, this::httpRow, this::anomaly)
            .onExchange(exchanges == null ? null : this::exchange).hashBodies(hash);
        table.streams(http);
      } else {
        http = null;
      }
    }

    /**
     * Reassembles a batch (segments put back in time order with the held ones, {@link Reorder}); its events (problems,
     * files done) first. Returns the batch now done with (the previous one), or null.
     */
    SegmentBatch consume(SegmentBatch b) {
      for (Object e : b.events) {
        event(e);
      }
      return reorder.accept(b, table::accept);
    }

    void finish() {
      table.finish();
    }

    private void event(Object o) {
      if (o instanceof AnomalyRecord a) {
        anomaly(a);
      } else if (o instanceof SegmentBatch.FileDone d) {
        call(() -> sink.captureDone(d.file(), d.account(), d.firstTsNs(), d.lastTsNs()));
      }
    }

    private void call(Runnable r) {
      if (writer == null) {
        r.run();
      } else {
        writer.submit(r);
      }
    }

    void httpRow(HttpRecord r) {
      httpRows++;
      call(() -> sink.http(r));
    }

    void exchange(HttpRecord r, HttpExchange x) {
      exchanges.accept(r, x);
    }

    @Override
    public void connection(ConnectionRecord c) {
      int n = http == null ? 0 : http.exchangeCount(c.flowId());
      call(() -> sink.flow(c, n));
    }

    @Override
    public void anomaly(AnomalyRecord a) {
      anomalies++;
      call(() -> sink.anomaly(a));
    }
  }
}
