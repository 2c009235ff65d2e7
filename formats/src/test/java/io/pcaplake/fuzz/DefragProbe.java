package io.pcaplake.fuzz;

import io.pcaplake.packet.PacketDecoder;
import java.lang.reflect.Method;

/**
 * A {@link PacketDecoder}'s defragmenter counters for the fuzz targets: datagrams in flight and bytes held, read by
 * reflection ({@code PacketDecoder.defragmenter()} and its type are package-private in {@code io.pcaplake.packet}).
 */
final class DefragProbe {
  private static final Method DEFRAGMENTER;
  private static final Method IN_FLIGHT;
  private static final Method BYTES_HELD;

  static {
    try {
      DEFRAGMENTER = PacketDecoder.class.getDeclaredMethod("defragmenter");
      DEFRAGMENTER.setAccessible(true);
      Class<?> d = DEFRAGMENTER.getReturnType();
      IN_FLIGHT = d.getDeclaredMethod("inFlight");
      IN_FLIGHT.setAccessible(true);
      BYTES_HELD = d.getDeclaredMethod("bytesHeld");
      BYTES_HELD.setAccessible(true);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Object defragmenter;

  DefragProbe(PacketDecoder decoder) throws ReflectiveOperationException {
    this.defragmenter = DEFRAGMENTER.invoke(decoder);
  }

  int inFlight() throws ReflectiveOperationException {
    return (Integer) IN_FLIGHT.invoke(defragmenter);
  }

  long bytesHeld() throws ReflectiveOperationException {
    return (Long) BYTES_HELD.invoke(defragmenter);
  }
}
