package io.pcaplake.cli;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code pcaplake packets} reports about a set of captures.
 *
 * @param files capture files found under the inputs
 * @param fileBytes their total size on disk
 * @param records capture records read
 * @param capturedBytes sum of the records' captured lengths
 * @param byStatus records per decode_status, most frequent first
 * @param byProtocol records per IP protocol ("none" without IP), most frequent first
 * @param topConversations TCP conversations with the most packets
 * @param firstTs earliest record timestamp, or null without records
 * @param lastTs latest record timestamp, or null
 * @param problemsByReason problems per reason code (capture and packet layers)
 */
public record PacketsSummary(long files, long fileBytes, long records, long capturedBytes,
                             Map<String, Long> byStatus, Map<String, Long> byProtocol,
                             List<Conversation> topConversations, Instant firstTs, Instant lastTs,
                             Map<String, Long> problemsByReason) {

  public PacketsSummary {
    byStatus = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byStatus));
    byProtocol = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byProtocol));
    topConversations = List.copyOf(topConversations);
    problemsByReason = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(problemsByReason));
  }

  /**
   * One TCP conversation, both directions counted.
   *
   * @param client "ip:port" of the side that sent the first SYN, else of the side with the higher port
   * @param server "ip:port" of the other side
   */
  public record Conversation(String client, String server, long packets, long payloadBytes) { }
}
