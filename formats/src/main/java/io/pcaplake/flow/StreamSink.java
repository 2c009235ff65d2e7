package io.pcaplake.flow;

import io.pcaplake.tcp.ConnectionInfo;
import io.pcaplake.tcp.TcpDirection;

/**
 * Extension point for stages that consume the reassembled byte streams (the HTTP parser): one sink per connection,
 * from {@link FlowAssembler}'s {@link Factory}. Same contract as {@link io.pcaplake.tcp.TcpListener}: per direction,
 * deliveries and gaps cover the stream contiguously from offset 0; bytes passed to {@link #deliver} must be copied
 * if kept.
 */
public interface StreamSink {
  /** Creates the sink of a starting connection, or returns null to ignore it. */
  @FunctionalInterface
  interface Factory {
    StreamSink open(String flowId, FlowKey key, ConnectionInfo info);
  }

  void deliver(TcpDirection direction, byte[] b, int off, int len, long streamOffset, long ts);

  default void gap(TcpDirection direction, long streamOffset, long missingBytes) { }

  /** The connection ended; called before {@link FlowOutput#connection} for it. */
  default void close(ConnectionRecord connection) { }
}
