package io.pcaplake.spark.ingest;

import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.report.ReportXmlWriter;
import io.pcaplake.spark.flows.FlowsJob;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The local engine's report.xml in the Spark engine's order ({@link FlowsJob#writeReport}: by the connection key's
 * bytes, {@code FlowKey.encode()} compared unsigned as Spark orders a binary column, then {@code connection_index}),
 * whatever order connections end in. Each connection is rendered when it ends ({@link ReportXmlWriter#render}) and
 * held; past {@code limit} bytes of held XML the held ones are sorted and spilled as a run to a file under {@code dir}
 * (the run's staging directory); {@link #finish} merges the runs and what is held into the writer and deletes the
 * spill files. Memory: at most {@code limit} bytes of XML plus one entry per spilled run.
 */
final class SortedReport implements Closeable {
  /** Held XML before a spill: 16 MiB (about 15,000 connections). */
  static final long LIMIT = 16L << 20;
  static final Comparator<Entry> ORDER = (a, b) -> {
    int c = Arrays.compareUnsigned(a.key, b.key);
    return c != 0 ? c : Integer.compare(a.index, b.index);
  };

  private final FileSystem fs;
  private final Path dir;
  private final ReportXmlWriter out;
  private final long limit;
  private final List<Entry> held = new ArrayList<>();
  private final List<Path> runs = new ArrayList<>();
  private long heldBytes;

  record Entry(byte[] key, int index, ReportXmlWriter.Rendered rendered) { }

  SortedReport(FileSystem fs, Path dir, ReportXmlWriter out, long limit) {
    this.fs = fs;
    this.dir = dir;
    this.out = out;
    this.limit = limit;
  }

  void connection(ConnectionRecord c) throws IOException {
    Entry e = new Entry(c.key().encode(), c.connectionIndex(), out.render(c));
    held.add(e);
    heldBytes += e.rendered.xml().length() + e.key.length + 64L;
    if (heldBytes >= limit) {
      held.sort(ORDER);
      Path run = new Path(dir, "run-" + runs.size());
      try (DataOutputStream d = new DataOutputStream(new BufferedOutputStream(fs.create(run, true), 1 << 16))) {
        for (Entry x : held) {
          d.writeBoolean(true);
          d.writeInt(x.key.length);
          d.write(x.key);
          d.writeInt(x.index);
          d.writeInt(x.rendered.fileobjects());
          d.writeLong(x.rendered.packets());
          byte[] xml = x.rendered.xml().getBytes(StandardCharsets.UTF_8);
          d.writeInt(xml.length);
          d.write(xml);
        }
        d.writeBoolean(false);
      }
      runs.add(run);
      held.clear();
      heldBytes = 0;
    }
  }

  /** Spill files written so far. */
  int spills() {
    return runs.size();
  }

  /** Writes every connection, in order, to the writer. */
  void finish() throws IOException {
    held.sort(ORDER);
    List<Source> sources = new ArrayList<>();
    try {
      sources.add(new Source(held.iterator()));
      for (Path run : runs) {
        sources.add(new Source(new DataInputStream(new BufferedInputStream(fs.open(run), 1 << 16))));
      }
      PriorityQueue<Source> q = new PriorityQueue<>((a, b) -> ORDER.compare(a.head, b.head));
      for (Source s : sources) {
        if (s.advance()) {
          q.add(s);
        }
      }
      while (!q.isEmpty()) {
        Source s = q.poll();
        out.connection(s.head.rendered);
        if (s.advance()) {
          q.add(s);
        }
      }
    } finally {
      held.clear();
      close(sources);
    }
  }

  @Override
  public void close() throws IOException {
    held.clear();
    if (!runs.isEmpty()) {
      fs.delete(dir, true);
      runs.clear();
    }
  }

  private void close(List<Source> sources) throws IOException {
    for (Source s : sources) {
      if (s.in != null) {
        s.in.close();
      }
    }
    close();
  }

  /** The held entries or one spilled run, read in order. */
  private static final class Source {
    final Iterator<Entry> it;
    final DataInputStream in;
    Entry head;

    Source(Iterator<Entry> it) {
      this.it = it;
      this.in = null;
    }

    Source(DataInputStream in) {
      this.it = null;
      this.in = in;
    }

    boolean advance() throws IOException {
      if (it != null) {
        head = it.hasNext() ? it.next() : null;
      } else if (!in.readBoolean()) {
        head = null;
      } else {
        byte[] key = new byte[in.readInt()];
        in.readFully(key);
        int index = in.readInt();
        int n = in.readInt();
        long packets = in.readLong();
        byte[] xml = new byte[in.readInt()];
        in.readFully(xml);
        head = new Entry(key, index, new ReportXmlWriter.Rendered(new String(xml, StandardCharsets.UTF_8), n,
            packets));
      }
      return head != null;
    }
  }
}
