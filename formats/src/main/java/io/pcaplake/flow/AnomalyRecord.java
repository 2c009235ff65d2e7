package io.pcaplake.flow;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * One {@code anomalies} row: raised by reassembly (layer {@code tcp}), the HTTP stage, or the local engine's reader
 * and decoder.
 *
 * @param captureFile capture file of the segment that raised it, or null (end of input, spans files)
 * @param recordIndex that segment's record offset, or null
 * @param flowId the connection's {@code flow_id}
 * @param ts capture time, ns, or null
 * @param layer {@code capture}, {@code packet}, {@code tcp} or {@code http} ({@link #layerOf})
 * @param reason stable dotted code ({@code docs/anomalies.md})
 * @param detail human-readable detail, or null
 */
public record AnomalyRecord(String captureFile, Long recordIndex, String flowId, Long ts, String layer,
                            String reason, String detail) {
  /**
   * The {@code layer} column of a reason code: its first dotted part when that is a layer above the capture
   * ({@code packet}, {@code tcp}, {@code http}), else {@code capture}. Both engines name layers with it.
   */
  public static String layerOf(String reason) {
    int dot = reason.indexOf('.');
    String head = dot < 0 ? reason : reason.substring(0, dot);
    return switch (head) {
      case "packet", "tcp", "http" -> head;
      default -> "capture";
    };
  }

  public Long tsMicros() {
    return ts == null ? null : Math.floorDiv(ts, 1000L);
  }

  /** The partition column: UTC date of {@link #ts()}, or null when ts is null (the caller uses the run's date). */
  public String dt() {
    return ts == null ? null
        : Instant.ofEpochSecond(Math.floorDiv(ts, 1_000_000_000L)).atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }
}
