package io.pcaplake.tcp;

/**
 * Run in a child JVM with a small fixed heap by {@link TcpReassemblerMemoryTest}: pushes one big connection and
 * many short ones through reassemblers, prints "OK delivered connections" or exits non-zero.
 */
public final class BoundedMemoryMain {
  private BoundedMemoryMain() { }

  public static void main(String[] args) {
    long bigBytes = Long.parseLong(args[0]);
    int shortConnections = Integer.parseInt(args[1]);
    BulkStreams.CountingListener l = new BulkStreams.CountingListener();
    BulkStreams.oneBigConnection(bigBytes, l, null);
    if (l.delivered != bigBytes || l.bad != 0) {
      System.out.println("FAIL big delivered=" + l.delivered + " bad=" + l.bad);
      System.exit(2);
    }
    BulkStreams.CountingListener m = new BulkStreams.CountingListener();
    BulkStreams.manyShortConnections(shortConnections, m);
    if (m.ended != shortConnections || m.delivered != 260L * shortConnections || m.bad != 0) {
      System.out.println("FAIL short ended=" + m.ended + " delivered=" + m.delivered + " bad=" + m.bad);
      System.exit(3);
    }
    System.out.println("OK " + l.delivered + " " + m.ended);
  }
}
