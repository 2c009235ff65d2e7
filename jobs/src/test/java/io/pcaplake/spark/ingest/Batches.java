package io.pcaplake.spark.ingest;

import io.pcaplake.synth.CaptureFiles;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.HttpTraffic;
import io.pcaplake.synth.SynthPacket;
import io.pcaplake.synth.TcpConversation;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Two rotated capture files written with the project's synthesizer: tonight's file ends in the middle of a
 * keep-alive HTTP connection that goes on in tomorrow's file.
 * <ul>
 *   <li>{@code night.pcap}: a short closed connection (10.0.0.2:40001, one exchange, FIN), then the keep-alive
 *       connection 10.0.0.1:40000 → 10.0.0.10:8080: handshake and {@link #FIRST} exchanges;</li>
 *   <li>{@code morning.pcap}: {@link #SECOND} more exchanges on it and its FIN, and a short connection of its own
 *       (10.0.0.3:40002).</li>
 * </ul>
 */
final class Batches {
  static final long T0 = 1_767_225_600_000_000_000L;  // 2026-01-01T00:00:00Z
  static final int FIRST = 3;
  static final int SECOND = 2;
  static final String NIGHT = "night.pcap";
  static final String MORNING = "morning.pcap";

  private Batches() { }

  static void write(Path dir, boolean night, boolean morning) throws IOException {
    TcpConversation early = conv("10.0.0.2", 40001, T0);
    exchange(early, "/early");
    early.fin();
    TcpConversation keep = conv("10.0.0.1", 40000, T0 + 10_000_000_000L);
    for (int i = 0; i < FIRST; i++) {
      exchange(keep, "/a" + i);
    }
    int cut = keep.packets().size();
    for (int i = 0; i < SECOND; i++) {
      keep.idle(1_000_000_000L);
      exchange(keep, "/b" + i);
    }
    keep.fin();
    List<SynthPacket> all = keep.packets();
    TcpConversation late = conv("10.0.0.3", 40002, all.get(all.size() - 1).tsNanos() + 1_000_000_000L);
    exchange(late, "/late");
    late.fin();

    List<SynthPacket> first = new ArrayList<>(early.packets());
    first.addAll(all.subList(0, cut));
    List<SynthPacket> second = new ArrayList<>(all.subList(cut, all.size()));
    second.addAll(late.packets());
    if (night) {
      CaptureFiles.write(dir.resolve(NIGHT), Format.PCAP, first);
    }
    if (morning) {
      CaptureFiles.write(dir.resolve(MORNING), Format.PCAP, second);
    }
  }

  private static TcpConversation conv(String client, int port, long start) throws IOException {
    return TcpConversation.between(InetAddress.getByName(client), port, InetAddress.getByName("10.0.0.10"), 8080)
        .start(start).open().handshake();
  }

  private static void exchange(TcpConversation c, String path) {
    c.clientSends(HttpTraffic.utf8("GET " + path + " HTTP/1.1\r\nHost: api\r\nAuthorization: Bearer tok-" + path
        + "\r\n\r\n"));
    c.serverSends(HttpTraffic.utf8("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
  }
}
