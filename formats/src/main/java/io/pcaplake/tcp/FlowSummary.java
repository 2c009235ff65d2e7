package io.pcaplake.tcp;

/**
 * One finished connection: what a {@code flows} row needs besides the key's addresses.
 *
 * @param info the connection's identity and roles (as given to {@link TcpListener#connectionStart})
 * @param endTs capture time of the connection's last packet, ns
 * @param client client-to-server counters
 * @param server server-to-client counters
 * @param connState Zeek's {@code conn_state}: S0 S1 SF REJ S2 S3 RSTO RSTR RSTOS0 RSTRH SH SHR OTH
 * @param history Zeek's history letters (upper case = client); see {@code docs/tcp.md}
 */
public record FlowSummary(ConnectionInfo info, long endTs, DirectionStats client, DirectionStats server,
                          boolean synSeen, String connState, String history) {
  public int connectionIndex() {
    return info.connectionIndex();
  }

  public long startTs() {
    return info.startTs();
  }

  public long durationNanos() {
    return endTs - info.startTs();
  }

  public long missingBytes() {
    return client.missingBytes() + server.missingBytes();
  }

  public long retransmittedBytes() {
    return client.retransmittedBytes() + server.retransmittedBytes();
  }

  public long outOfOrderCount() {
    return client.outOfOrderCount() + server.outOfOrderCount();
  }

  public long overlapConflicts() {
    return client.overlapConflicts() + server.overlapConflicts();
  }

  public boolean finSeen() {
    return client.finSeen() || server.finSeen();
  }

  public boolean rstSeen() {
    return client.rstSeen() || server.rstSeen();
  }
}
