package io.pcaplake.flow;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * One finished TCP connection: every {@code flows} column except {@code dt} (see {@link #dt()}) and
 * {@code http_exchanges} (0 until the HTTP stage), plus the key and the two directions' report.xml statistics.
 * Timestamps are nanoseconds since the epoch ({@link #startTsMicros()} for the table's timestamp-micros).
 *
 * @param vlan outermost VLAN id, or null when untagged (as the column)
 * @param captureFiles capture files that held packets of this connection, in first-seen order
 * @param clientReport client-to-server direction, or null when the client sent no packet
 * @param serverReport server-to-client direction, or null when the server sent no packet
 */
public record ConnectionRecord(String flowId, String communityId, int connectionIndex, long startTs, long endTs,
                               double durationMs, String family, String clientIp, int clientPort, String serverIp,
                               int serverPort, Integer vlan, long clientPackets, long serverPackets,
                               long clientBytes, long serverBytes, long missingBytes, long retransmittedBytes,
                               long outOfOrderCount, long overlapConflicts, boolean synSeen, boolean finSeen,
                               boolean rstSeen, String connState, String history, List<String> captureFiles,
                               FlowKey key, DirectionReport clientReport, DirectionReport serverReport) {
  public ConnectionRecord {
    captureFiles = List.copyOf(captureFiles);
  }

  public long startTsMicros() {
    return Math.floorDiv(startTs, 1000L);
  }

  public long endTsMicros() {
    return Math.floorDiv(endTs, 1000L);
  }

  /** The partition column: UTC date (YYYY-MM-DD) of {@link #startTs()}. */
  public String dt() {
    return Instant.ofEpochSecond(Math.floorDiv(startTs, 1_000_000_000L)).atOffset(ZoneOffset.UTC).toLocalDate()
        .toString();
  }
}
