package io.pcaplake.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-thread pool gzip bodies are held in: sizes, reuse, and how many arrays it keeps idle. */
class HeldBuffersTest {
  @Test
  void sizesArePowersOfTwoFrom16KiBToTheInputCap() {
    assertEquals(16 * 1024, HeldBuffers.take(0).length);
    assertEquals(16 * 1024, HeldBuffers.take(16 * 1024).length);
    assertEquals(32 * 1024, HeldBuffers.take(16 * 1024 + 1).length);
    assertEquals(FastInflate.MAX_INPUT, HeldBuffers.take(FastInflate.MAX_INPUT).length);
    // beyond the cap the largest size comes back: the caller streams instead of holding
    assertEquals(FastInflate.MAX_INPUT, HeldBuffers.take(FastInflate.MAX_INPUT + 1).length);
  }

  @Test
  void aGivenArrayIsTakenAgainOnTheSameThreadUpToTheKeptCount() throws Exception {
    Thread t = new Thread(() -> {
      byte[] a = HeldBuffers.take(20_000);
      HeldBuffers.give(a);
      assertSame(a, HeldBuffers.take(30_000), "same size class: reused");
      List<byte[]> big = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        big.add(HeldBuffers.take(FastInflate.MAX_INPUT));
      }
      big.forEach(HeldBuffers::give);   // only 2 of the largest size are kept
      byte[] x = HeldBuffers.take(FastInflate.MAX_INPUT);
      byte[] y = HeldBuffers.take(FastInflate.MAX_INPUT);
      byte[] z = HeldBuffers.take(FastInflate.MAX_INPUT);
      assertTrue(big.contains(x) && big.contains(y), "two kept");
      assertTrue(!big.contains(z), "the third was dropped");
      HeldBuffers.give(new byte[12345]);   // not a pool size: ignored
      assertEquals(16 * 1024, HeldBuffers.take(1).length);
    });
    Throwable[] failure = new Throwable[1];
    t.setUncaughtExceptionHandler((th, e) -> failure[0] = e);
    t.start();
    t.join();
    if (failure[0] != null) {
      throw new AssertionError(failure[0]);
    }
  }
}
