package io.pcaplake.fuzz;

import static io.pcaplake.fuzz.FuzzSupport.check;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pcaplake.tcp.ConnectionInfo;
import io.pcaplake.tcp.DirectionStats;
import io.pcaplake.tcp.FlowSummary;
import io.pcaplake.tcp.TcpDirection;
import io.pcaplake.tcp.TcpLimits;
import io.pcaplake.tcp.TcpListener;
import io.pcaplake.tcp.TcpReassembler;
import io.pcaplake.tcp.TcpSegment;

/**
 * The TCP reassembler fed arbitrary segment sequences of one key under small fuzzer-chosen limits. Input: 9 limit
 * bytes and two 4-byte ISNs, then up to 256 segments: op byte (direction, whether seq is near the side's ISN or an
 * arbitrary 32-bit value, a long time step, a snaplen cut), flags, the seq delta or value, the ack, and the payload.
 *
 * <p>Checks: per connection and direction, {@code deliver} and {@code gap} ranges start at 0 and are contiguous
 * and non-overlapping; at {@code connectionEnd} delivered bytes equal {@code bytes}, gap bytes equal
 * {@code missingBytes}, and the next offset equals the stream length; callbacks come inside start/end; held bytes
 * never exceed both directions' reorder limits; every direction's payload accounting balances and the connections saw
 * exactly the payload fed (docs/accounting.md); no exception; bounded time.
 */
class TcpReassemblerFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void fuzz(byte[] data) {
    FuzzSupport.In in = new FuzzSupport.In(data);
    TcpLimits limits = new TcpLimits(in.u16() % 8192, in.u8() % 16, (1 + in.u8()) * 50_000_000L, in.u16() % 4096,
        1 + in.u16() * 256L, 1 + in.u8() % 64);
    Checker checker = new Checker();
    TcpReassembler r = new TcpReassembler(1234, 80, limits, checker);
    TcpSegment seg = new TcpSegment();
    long[] isn = {in.u32(), in.u32()};
    long ts = CaptureBuilder.BASE_SECONDS * 1_000_000_000L;
    long t0 = System.nanoTime();
    long fed = 0;
    for (int n = 0; n < 256 && in.more(); n++) {
      int op = in.u8();
      boolean fromA = (op & 1) != 0;
      int flags = in.u8() & 0x3f;
      long seq = (op & 2) != 0 ? in.u32() : isn[fromA ? 0 : 1] + in.u16() - 16;
      long ack = (op & 4) != 0 ? in.u32() : isn[fromA ? 1 : 0] + in.u16();
      ts += (op & 8) != 0 ? in.u8() * 100_000_000L : in.u8() * 1000L;
      byte[] payload = in.bytes((op & 16) != 0 ? in.u16() % 3000 : in.u8() % 64);
      int wire = payload.length + ((op & 32) != 0 ? in.u8() : 0);
      seg.set(ts, fromA, seq, ack, flags, 65535, payload, 0, payload.length, wire, 0, n);
      if ((op & 64) != 0 && (flags & TcpSegment.SYN) != 0) {
        seg.windowScale(in.u8() % 16);
      }
      r.accept(seg);
      fed += wire;
      long held = r.heldBytes();
      check(held >= 0 && held <= 2 * limits.reorderBytes(), "held " + held + " > 2 x " + limits.reorderBytes());
    }
    r.finish();
    check(!checker.open, "connection not ended by finish()");
    check(checker.seen == fed, "payload seen by the connections " + checker.seen + ", fed " + fed);
    check(checker.connections == r.connectionCount(), checker.connections + " starts, count " + r.connectionCount());
    long took = System.nanoTime() - t0;
    check(took < FuzzSupport.TIME_BUDGET_NANOS, "reassembly took " + took / 1_000_000 + " ms");
  }

  /** Tracks each direction's next stream offset and totals, and checks them against the summary. */
  static final class Checker implements TcpListener {
    boolean open;
    int connections;
    long seen;
    final long[] next = new long[2];
    final long[] delivered = new long[2];
    final long[] missing = new long[2];

    @Override
    public void connectionStart(ConnectionInfo info) {
      check(!open, "connectionStart while a connection is open");
      check(info.connectionIndex() == connections, "connection index " + info.connectionIndex());
      open = true;
      connections++;
      java.util.Arrays.fill(next, 0);
      java.util.Arrays.fill(delivered, 0);
      java.util.Arrays.fill(missing, 0);
    }

    @Override
    public void deliver(TcpDirection d, byte[] b, int off, int len, long streamOffset, long ts) {
      check(open, "deliver outside a connection");
      int i = d.ordinal();
      check(len > 0 && off >= 0 && off + len <= b.length, "deliver " + off + "+" + len + " of " + b.length);
      check(streamOffset == next[i], d + ": deliver at " + streamOffset + ", expected " + next[i]);
      next[i] += len;
      delivered[i] += len;
    }

    @Override
    public void gap(TcpDirection d, long streamOffset, long missingBytes) {
      check(open, "gap outside a connection");
      int i = d.ordinal();
      check(missingBytes > 0, d + ": gap of " + missingBytes);
      check(streamOffset == next[i], d + ": gap at " + streamOffset + ", expected " + next[i]);
      next[i] += missingBytes;
      missing[i] += missingBytes;
    }

    @Override
    public void overlapConflict(TcpDirection d, long streamOffset, long length, long ts) {
      check(open, "overlap outside a connection");
      check(streamOffset >= 0 && length > 0, d + ": overlap " + streamOffset + "+" + length);
    }

    @Override
    public void anomaly(String reason, String detail, long ts, int captureFile, long recordOffset) {
      check(reason != null && reason.startsWith("tcp."), "anomaly reason " + reason);
    }

    @Override
    public void connectionEnd(FlowSummary s) {
      check(open, "connectionEnd without start");
      open = false;
      DirectionStats[] ds = {s.client(), s.server()};
      for (TcpDirection d : TcpDirection.values()) {
        int i = d.ordinal();
        DirectionStats st = ds[i];
        check(st.bytes() == delivered[i], d + ": summary bytes " + st.bytes() + ", delivered " + delivered[i]);
        check(st.missingBytes() == missing[i], d + ": summary missing " + st.missingBytes() + ", gaps " + missing[i]);
        check(st.streamLength() == next[i], d + ": stream length " + st.streamLength() + ", covered " + next[i]);
        check(st.unaccountedBytes() == 0, d + ": payload accounting (docs/accounting.md) off by "
            + st.unaccountedBytes() + ": " + st);
        seen += st.payloadSeen();
      }
    }
  }
}
