package io.pcaplake.tcp;

/**
 * What {@link TcpListener#connectionStart} knows: which connection on the key this is and who is the client.
 *
 * @param connectionIndex 0 for the key's first connection, then 1, 2 ... (port reuse)
 * @param startTs capture time of the connection's first packet, ns
 * @param clientIsA true when endpoint A of the key (the {@code fromA} side of {@link TcpSegment}) is the client
 * @param clientPort the client's port
 * @param serverPort the server's port
 * @param roleDecision how the client was chosen
 * @param flipped true when the client is not the sender of the first packet (Zeek's {@code ^})
 */
public record ConnectionInfo(int connectionIndex, long startTs, boolean clientIsA, int clientPort, int serverPort,
                             RoleDecision roleDecision, boolean flipped) { }
