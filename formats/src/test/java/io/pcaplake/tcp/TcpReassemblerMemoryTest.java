package io.pcaplake.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Nothing grows with a connection's length or with the number of connections. */
class TcpReassemblerMemoryTest {
  @Test
  void twoHundredMegabytesThroughOneConnectionHoldOnlyTheWindows() {
    long total = 200L << 20;
    BulkStreams.CountingListener l = new BulkStreams.CountingListener();
    long[] maxHeld = new long[1];
    long[] maxRetained = new long[1];
    TcpReassembler[] holder = new TcpReassembler[1];
    long t0 = System.nanoTime();
    TcpReassembler re = BulkStreams.oneBigConnection(total, l, () -> {
      if (holder[0] != null) {
        maxHeld[0] = Math.max(maxHeld[0], holder[0].heldBytes());
        maxRetained[0] = Math.max(maxRetained[0], holder[0].retainedCapacity());
      }
    });
    long elapsed = System.nanoTime() - t0;
    holder[0] = re;
    System.out.printf("tcp reassembly, one connection: %d MB in %.2f s = %.0f MB/s%n", total >> 20, elapsed / 1e9,
        total / 1e6 / (elapsed / 1e9));
    assertEquals(total, l.delivered);
    assertEquals(0, l.bad);
    assertEquals(0, l.gaps);
    assertEquals(1, l.ended);
    FlowSummary s = l.last;
    assertEquals(total, s.server().bytes());
    long segments = (total + 1459) / 1460;
    assertTrue(s.server().retransmittedBytes() >= (segments / 100 - 1) * 1460, "duplicates counted");
    assertTrue(s.server().outOfOrderCount() >= segments / 50 - 1, "swaps held");
    assertEquals("SF", s.connState());
    assertEquals(0, re.heldBytes());
  }

  @Test
  void windowsStayBoundedDuringTheStream() {
    BulkStreams.CountingListener l = new BulkStreams.CountingListener();
    TcpReassembler[] re = new TcpReassembler[1];
    long[] max = new long[2];
    // probe through a listener hook: the reassembler under test is captured at connection start
    TcpListener probing = new TcpListener() {
      @Override
      public void deliver(TcpDirection d, byte[] b, int off, int len, long at, long ts) {
        l.deliver(d, b, off, len, at, ts);
        if (re[0] != null) {
          max[0] = Math.max(max[0], re[0].heldBytes());
          max[1] = Math.max(max[1], re[0].retainedCapacity());
        }
      }
    };
    TcpReassembler r = new TcpReassembler(40001, 443, TcpLimits.DEFAULTS, probing);
    re[0] = r;
    TcpSegment s = new TcpSegment();
    byte[] buf = new byte[1000];
    long isn = 0xfffff000L;
    r.accept(s.set(0, false, isn, 0, TcpSegment.SYN, 1, null, 0, 0, 0, 0, 0));
    // 30 MB: segments in groups of 8, each group reversed (7 held, then all drained)
    long segments = 30_000;
    for (long g = 0; g < segments; g += 8) {
      for (long i = g + 7; i >= g; i--) {
        for (int k = 0; k < buf.length; k++) {
          buf[k] = BulkStreams.byteAt(i * 1000 + k);
        }
        r.accept(s.set(g, false, isn + 1 + i * 1000, 0, TcpSegment.ACK, 1, buf, 0, 1000, 1000, 0, i));
      }
    }
    r.finish();
    assertEquals(segments * 1000, l.delivered);
    assertEquals(0, l.bad);
    assertTrue(max[0] <= 7000, "held " + max[0]);
    assertTrue(max[1] <= TcpLimits.DEFAULTS.compareBytes(), "compare window " + max[1]);
  }

  @Test
  void hundredThousandShortConnections() {
    BulkStreams.CountingListener l = new BulkStreams.CountingListener();
    long t0 = System.nanoTime();
    BulkStreams.manyShortConnections(100_000, l);
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("tcp reassembly, short connections: 100000 in %.2f s = %.0f connections/s%n", secs,
        100_000 / secs);
    assertEquals(100_000, l.connections);
    assertEquals(100_000, l.ended);
    assertEquals(260L * 100_000, l.delivered);
    assertEquals(0, l.bad);
    assertEquals("SF", l.last.connState());
    assertEquals("ShADdFf", l.last.history()); // the response itself acknowledges the request
  }

  /** The real proof: a child JVM with a 48 MB heap pushes 1 GiB through one connection and 1M short ones. */
  @Test
  void fixedSmallHeapInAChildJvm() throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx48m", "-XX:+UseSerialGC", "-cp",
        System.getProperty("java.class.path"), BoundedMemoryMain.class.getName(), String.valueOf(1L << 30),
        "1000000"));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    assertEquals(0, rc, out);
    assertTrue(out.startsWith("OK " + (1L << 30) + " 1000000"), out);
  }
}
