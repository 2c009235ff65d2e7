package io.pcaplake.flow;

import io.pcaplake.tcp.TcpLimits;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * The local engine's door to reassembly: takes TCP segments of any number of keys <b>interleaved in capture order</b>
 * (as a capture file holds them), keeps one reassembly state per active key, and ends a key (emitting its connection
 * through the {@link FlowOutput}) when
 * <ul>
 *   <li>its connection is over (RST, or a FIN from both sides) and no packet of it came for
 *       {@link Limits#lingerNanos} of capture time (late ACKs and retransmitted FINs still count), or</li>
 *   <li>no packet of it came for {@link Limits#idleNanos} of capture time, or</li>
 *   <li>the table holds {@link Limits#maxFlows} keys and a new key arrives: the least recently active key is ended,
 *       with anomaly {@link FlowReasons#FLOW_TABLE_FULL}.</li>
 * </ul>
 * The capture clock is the largest timestamp seen, so memory is bounded by the connections active within the idle
 * time, never by the capture's length. Each key runs the same per-key unit as {@link FlowAssembler}, so a connection
 * gets the same row and {@code flow_id} as in the Spark engine. A key met again after it was ended continues its
 * connection numbering ({@code connection_index}, part of the {@code flow_id}) as long as it is remembered
 * ({@link Limits#retiredKeys} keys, for {@link Limits#idleNanos}).
 *
 * <p>Not thread-safe. Call {@link #finish()} at the end of the input.
 */
public final class FlowTable {
  /**
   * Bounds of a flow table.
   *
   * @param idleNanos capture time without a packet after which a key is ended (default 300 s, Zeek's TCP inactivity
   *     timeout)
   * @param lingerNanos capture time a closed connection is kept for late packets (default 2 s)
   * @param maxFlows keys held at once (default 65,536)
   * @param retiredKeys ended keys whose next connection index is remembered (default 262,144)
   * @param maxLingering closed connections kept for their linger at once (default 1024); beyond, the one closed
   *     longest ago is ended early. A closed connection still holds its reassembly and HTTP buffers (tens of KiB),
   *     and a busy server closes thousands per second of capture time, so without this the linger alone could hold
   *     hundreds of MiB.
   */
  public record Limits(long idleNanos, long lingerNanos, int maxFlows, int retiredKeys, int maxLingering) {
    public static final Limits DEFAULTS = new Limits(300_000_000_000L, 2_000_000_000L, 65_536, 262_144, 1024);

    public Limits {
      if (idleNanos < 1 || lingerNanos < 0 || maxFlows < 1 || retiredKeys < 0 || maxLingering < 0) {
        throw new IllegalArgumentException("bad flow table limits: idle " + idleNanos + " ns, linger " + lingerNanos
            + " ns, " + maxFlows + " flows, " + retiredKeys + " retired keys, " + maxLingering + " lingering");
      }
    }

    public Limits withIdleNanos(long v) {
      return new Limits(v, lingerNanos, maxFlows, retiredKeys, maxLingering);
    }

    public Limits withMaxFlows(int v) {
      return new Limits(idleNanos, lingerNanos, v, retiredKeys, maxLingering);
    }

    public Limits withMaxLingering(int v) {
      return new Limits(idleNanos, lingerNanos, maxFlows, retiredKeys, v);
    }
  }

  private final KeyFlow.Context ctx;
  private final Limits limits;
  /** Active keys, least recently active first (access order). */
  private final LinkedHashMap<FlowKey, Entry> flows = new LinkedHashMap<>(1024, 0.75f, true);
  /** Keys whose connection closed, in the order they closed. */
  private final ArrayDeque<Entry> closing = new ArrayDeque<>();
  /** Ended keys and their next connection index, oldest first. */
  private final LinkedHashMap<FlowKey, long[]> retired = new LinkedHashMap<>();
  private long now = Long.MIN_VALUE;
  private long nextSweep = Long.MIN_VALUE;
  private long ended;
  private long endedFull;
  private long endedLingerCap;
  /** Entries in {@link #closing} still queued (the deque also holds entries ended or reopened since). */
  private int lingering;
  private int peak;

  private static final class Entry {
    final KeyFlow flow;
    long lastSeen;
    boolean queued;
    boolean gone;

    Entry(KeyFlow flow) {
      this.flow = flow;
    }
  }

  public FlowTable(TcpLimits tcpLimits, Limits limits, IntFunction<String> captureFileNames, FlowOutput out) {
    this.ctx = new KeyFlow.Context(Objects.requireNonNull(tcpLimits, "tcpLimits"),
        Objects.requireNonNull(captureFileNames, "captureFileNames"), Objects.requireNonNull(out, "out"));
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** Plugs a consumer of the reassembled streams (the HTTP stage, a console printer); set before the first segment. */
  public FlowTable streams(StreamSink.Factory factory) {
    ctx.streams = factory;
    return this;
  }

  /** Feeds the next segment, in capture order (ts, then capture file, then record offset). */
  public void accept(FlowSegment s) {
    FlowKey key = s.key != null ? s.key : FlowKey.decode(Objects.requireNonNull(s.encodedKey, "segment key"));
    if (s.ts > now) {
      now = s.ts;
    }
    if (now >= nextSweep) {
      sweep();
    }
    Entry e = flows.get(key);
    if (e == null) {
      if (flows.size() >= limits.maxFlows()) {
        endEldest();
      }
      long[] r = retired.remove(key);
      e = new Entry(new KeyFlow(ctx, key, s.key != null ? null : s.encodedKey.clone(), r == null ? 0 : (int) r[0]));
      flows.put(key, e);
      peak = Math.max(peak, flows.size());
    }
    e.lastSeen = Math.max(e.lastSeen, s.ts);
    e.flow.accept(s);
    if (!e.queued && e.flow.isClosed()) {
      e.queued = true;
      closing.add(e);
      lingering++;
      if (lingering > limits.maxLingering()) {
        endClosedEarly();
      }
    }
  }

  /** Ends the connection that closed longest ago (still closed), before its linger is over. */
  private void endClosedEarly() {
    while (!closing.isEmpty()) {
      Entry c = closing.poll();
      if (c.gone || !c.queued) {
        continue;
      }
      c.queued = false;
      lingering--;
      if (c.flow.isClosed()) {
        flows.remove(c.flow.key);
        endedLingerCap++;
        end(c);
        return;
      }
    }
  }

  /** Ends every key still open (least recently active first). Idempotent. */
  public void finish() {
    Iterator<Entry> it = flows.values().iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      it.remove();
      end(e);
    }
    closing.clear();
    lingering = 0;
  }

  /** Name of the capture file of the segment being processed (or the last one), null before the first. */
  public String currentCaptureFile() {
    return ctx.currentCaptureFile();
  }

  /** Keys held now. */
  public int size() {
    return flows.size();
  }

  /** Most keys held at once. */
  public int peakSize() {
    return peak;
  }

  /** Keys ended so far (closed, idle, table full or at finish). */
  public long keysEnded() {
    return ended;
  }

  /** Closed keys ended before their linger was over because {@link Limits#maxLingering} were lingering. */
  public long keysEndedLingerCap() {
    return endedLingerCap;
  }

  /** Keys ended early because the table was full. */
  public long keysEndedFull() {
    return endedFull;
  }

  /** Connections emitted so far. */
  public long connections() {
    return ctx.connections;
  }

  /** Segments accepted so far. */
  public long packets() {
    return ctx.packets;
  }

  /** Ends closed keys past their linger and idle keys; runs every 1/8 of the shorter of the two, in capture time. */
  private void sweep() {
    long linger = limits.lingerNanos();
    while (!closing.isEmpty()) {
      Entry e = closing.peek();
      if (e.gone || !e.queued) {
        closing.poll();
        continue;
      }
      if (now - e.lastSeen < linger) {
        break;
      }
      closing.poll();
      e.queued = false;
      lingering--;
      if (e.flow.isClosed()) {
        flows.remove(e.flow.key);
        end(e);
      }
    }
    long idle = limits.idleNanos();
    Iterator<Entry> it = flows.values().iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (now - e.lastSeen < idle) {
        break;
      }
      it.remove();
      end(e);
    }
    long step = Math.max(1_000_000L, Math.min(linger == 0 ? idle : linger, idle) / 8);
    nextSweep = now + step;
    expireRetired();
  }

  private void endEldest() {
    Iterator<Entry> it = flows.values().iterator();
    Entry e = it.next();
    it.remove();
    endedFull++;
    ctx.out.anomaly(new AnomalyRecord(ctx.currentCaptureFile(), null, null, now == Long.MIN_VALUE ? null : now,
        "tcp", FlowReasons.FLOW_TABLE_FULL, "flow table full (" + limits.maxFlows() + " keys): ended "
        + e.flow.key + " early, idle for " + (now - e.lastSeen) / 1_000_000 + " ms"));
    end(e);
  }

  private void end(Entry e) {
    if (e.queued) {
      e.queued = false;
      lingering--;
    }
    e.gone = true;
    e.flow.finish();
    ended++;
    if (limits.retiredKeys() > 0) {
      retired.put(e.flow.key, new long[] {e.flow.nextConnectionIndex(), e.lastSeen});
      if (retired.size() > limits.retiredKeys()) {
        Iterator<long[]> it = retired.values().iterator();
        it.next();
        it.remove();
      }
    }
  }

  private void expireRetired() {
    Iterator<Map.Entry<FlowKey, long[]>> it = retired.entrySet().iterator();
    while (it.hasNext()) {
      if (now - it.next().getValue()[1] < limits.idleNanos()) {
        break;
      }
      it.remove();
    }
  }
}
