package io.pcaplake.local;

import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.flow.FlowOutput;
import io.pcaplake.flow.FlowSegment;
import io.pcaplake.flow.FlowTable;
import io.pcaplake.http.HttpExchange;
import io.pcaplake.http.HttpRecord;
import io.pcaplake.http.HttpStage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiConsumer;

/**
 * The public door of the local engine ({@code docs/local.md}): the same core as the Spark engine, in one process,
 * for one capture or a few. Inputs are merged in capture-time order ({@link CaptureMerge}), TCP segments go to a
 * {@link FlowTable} (one reassembler per active key, keys ended when closed or idle in capture time), the HTTP stage
 * runs on the reassembled streams, and rows go to a {@link TableSink} as connections end: the same
 * {@link ConnectionRecord}, {@link HttpRecord} and {@link AnomalyRecord} values, with the same {@code flow_id}s, as
 * the Spark engine makes.
 *
 * <p>With {@link LocalOptions#threads()} 2, reading and decoding run on a second thread, which hands batches of
 * copied segments to the caller's thread over a queue of {@value #QUEUE} batches (memory bound: the batches in
 * flight plus the flow table). The sink is always called on the caller's thread.
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
   * body prefixes) to {@code exchanges}, for consoles; null for none.
   */
  public static LocalSummary run(List<CaptureInput> inputs, LocalOptions options, TableSink sink,
                                 BiConsumer<HttpRecord, HttpExchange> exchanges) throws IOException {
    Objects.requireNonNull(sink, "sink");
    long t0 = System.nanoTime();
    Run run = new Run(inputs, options, sink, exchanges);
    try (CaptureMerge merge = run.merge) {
      if (options.threads() == 1) {
        SegmentBatch b = new SegmentBatch();
        do {
          merge.fill(b);
          run.consume(b);
        } while (!b.last);
      } else {
        run.pipelined();
      }
    }
    run.table.finish();
    return new LocalSummary(inputs.size(), merge(run).records(), run.table.packets(), run.table.connections(),
        run.httpRows, run.anomalies, run.table.peakSize(), run.table.keysEndedFull(), System.nanoTime() - t0);
  }

  private static CaptureMerge merge(Run r) {
    return r.merge;
  }

  /** The consumer side of one run. */
  private static final class Run implements FlowOutput {
    final CaptureMerge merge;
    final FlowTable table;
    final TableSink sink;
    final HttpStage http;
    final FlowSegment segment = new FlowSegment();
    long httpRows;
    long anomalies;

    Run(List<CaptureInput> inputs, LocalOptions o, TableSink sink, BiConsumer<HttpRecord, HttpExchange> exchanges) {
      this.merge = new CaptureMerge(inputs, o.filter());
      this.sink = sink;
      this.table = new FlowTable(o.tcpLimits(), o.flowLimits(), merge::fileName, this);
      if (o.streams() != null) {
        http = null;
        table.streams(o.streams());
      } else if (o.http()) {
        http = new HttpStage(o.httpLimits(), o.secrets(), table::currentCaptureFile, this::httpRow, this::anomaly)
            .onExchange(exchanges);
        table.streams(http);
      } else {
        http = null;
      }
    }

    void consume(SegmentBatch b) {
      int e = 0;
      int events = b.events.size();
      for (int i = 0; i < b.size; i++) {
        while (e < events && b.eventAt[e] <= i) {
          event(b.events.get(e++));
        }
        table.accept(b.load(i, segment));
      }
      while (e < events) {
        event(b.events.get(e++));
      }
    }

    private void event(Object o) {
      if (o instanceof AnomalyRecord a) {
        anomaly(a);
      } else if (o instanceof SegmentBatch.FileDone d) {
        sink.captureDone(d.file(), d.records(), d.badRecords());
      }
    }

    /** Read and decode on a second thread; reassemble here. */
    void pipelined() throws IOException {
      BlockingQueue<SegmentBatch> full = new ArrayBlockingQueue<>(QUEUE);
      BlockingQueue<SegmentBatch> free = new ArrayBlockingQueue<>(QUEUE + 2);
      for (int i = 0; i < QUEUE + 2; i++) {
        free.add(new SegmentBatch());
      }
      Thread reader = new Thread(() -> {
        try {
          while (true) {
            SegmentBatch b = free.take();
            try {
              merge.fill(b);
            } catch (Throwable t) {
              b.error = t;
              b.last = true;
            }
            full.put(b);
            if (b.last) {
              return;
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "pcaplake-read");
      reader.setDaemon(true);
      reader.start();
      try {
        while (true) {
          SegmentBatch b = full.take();
          if (b.error != null) {
            throw b.error instanceof IOException io ? io : new IOException("capture reader failed", b.error);
          }
          consume(b);
          boolean last = b.last;
          free.put(b);
          if (last) {
            break;
          }
        }
        reader.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      } finally {
        if (reader.isAlive()) {
          reader.interrupt();
        }
      }
    }

    void httpRow(HttpRecord r) {
      httpRows++;
      sink.http(r);
    }

    @Override
    public void connection(ConnectionRecord c) {
      sink.flow(c, http == null ? 0 : http.exchangeCount(c.flowId()));
    }

    @Override
    public void anomaly(AnomalyRecord a) {
      anomalies++;
      sink.anomaly(a);
    }
  }
}
