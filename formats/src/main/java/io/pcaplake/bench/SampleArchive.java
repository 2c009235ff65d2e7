package io.pcaplake.bench;

import io.pcaplake.capture.PcapWriter;
import io.pcaplake.synth.SampleCapture;
import io.pcaplake.synth.SynthPacket;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * An HTTP capture of any size for benchmarks of the HTTP path: the README's sample (an HTTP/1.1 API with gzip and
 * chunked responses, keep-alive, Bearer tokens, 401s) generated again and again with new seeds, each copy starting
 * where the previous one ended, into one classic pcap (µs). About 2.4 MB per copy.
 *
 * <p>Usage: {@code SampleArchive OUT SIZE} (SIZE like 10m, 1g, 123456).
 */
public final class SampleArchive {
  private SampleArchive() { }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: SampleArchive OUT SIZE[k|m|g]");
      System.exit(2);
    }
    long target = size(args[1]);
    Path out = Path.of(args[0]);
    SampleCapture.Options d = SampleCapture.Options.defaults();
    long packets = 0;
    long requests = 0;
    int copies = 0;
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20);
         PcapWriter w = new PcapWriter(os, ByteOrder.LITTLE_ENDIAN, false, 262_144, 1)) {
      while (Files.size(out) < target) {
        Instant start = d.start().plus(d.span().multipliedBy(copies));
        SampleCapture.Generated g = SampleCapture.generate(new SampleCapture.Options(d.seed() + copies, start,
            d.span(), d.normalClients(), start.plus(Duration.ofHours(2))));
        for (SynthPacket p : g.packets()) {
          w.write(p.tsNanos(), p.frame(), 0, p.frame().length, p.origlen());
        }
        w.flush();
        packets += g.packets().size();
        requests += g.truth().requests();
        copies++;
      }
    }
    System.err.printf("wrote %s: %d bytes, %d copies of the sample, %d packets, %d HTTP requests%n", out,
        Files.size(out), copies, packets, requests);
  }

  static long size(String s) {
    String v = s.toLowerCase(java.util.Locale.ROOT);
    long m = 1;
    char c = v.charAt(v.length() - 1);
    if (c == 'k' || c == 'm' || c == 'g') {
      m = c == 'k' ? 1L << 10 : c == 'm' ? 1L << 20 : 1L << 30;
      v = v.substring(0, v.length() - 1);
    }
    return Long.parseLong(v) * m;
  }
}
