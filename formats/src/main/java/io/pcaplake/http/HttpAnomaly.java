package io.pcaplake.http;

/**
 * One problem found by the parser, for the {@code anomalies} table (layer {@code http}).
 *
 * @param flowId connection
 * @param ts capture time of the bytes that raised it, ns
 * @param fromClient direction
 * @param streamOffset offset in that direction's stream of the message start (or of the gap)
 * @param reason stable code from {@link HttpReasons}
 * @param detail human-readable detail, may be null
 */
public record HttpAnomaly(String flowId, long ts, boolean fromClient, long streamOffset, String reason,
                          String detail) { }
