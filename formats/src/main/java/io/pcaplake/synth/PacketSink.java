package io.pcaplake.synth;

import java.io.IOException;

/** Receives synthesized records in capture order: a capture writer, a list, a counter. */
@FunctionalInterface
public interface PacketSink {

  /**
   * @param tsNanos capture timestamp, nanoseconds since the Unix epoch
   * @param frame buffer holding the captured bytes (may be reused by the caller after return)
   * @param off where the captured bytes start in {@code frame}
   * @param caplen number of captured bytes
   * @param origlen original length on the wire
   */
  void packet(long tsNanos, byte[] frame, int off, int caplen, int origlen) throws IOException;
}
