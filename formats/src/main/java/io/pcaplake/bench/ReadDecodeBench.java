package io.pcaplake.bench;

import io.pcaplake.capture.CaptureReader;
import io.pcaplake.capture.Captures;
import io.pcaplake.capture.FileByteSource;
import io.pcaplake.capture.ProblemSink;
import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.packet.PacketDecoder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Read + decode throughput of one capture on one thread (so the figure is per core): every record is read and
 * decoded down to TCP/UDP, and a checksum of the decoded fields keeps the JIT from discarding the work.
 *
 * <p>Usage: {@code ReadDecodeBench FILE [ROUNDS]}. Round 1 warms the JIT and the page cache; the best and median of
 * the later rounds are printed, with the peak heap used.
 */
public final class ReadDecodeBench {
  private ReadDecodeBench() { }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: ReadDecodeBench FILE [ROUNDS]");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    long bytes = Files.size(file);
    double[] mbPerSec = new double[rounds];
    long records = 0;
    for (int round = 0; round < rounds; round++) {
      long start = System.nanoTime();
      Result result = readAndDecode(file);
      double seconds = (System.nanoTime() - start) / 1e9;
      records = result.records;
      mbPerSec[round] = bytes / 1e6 / seconds;
      System.out.printf(Locale.ROOT, "round %d: %,d records, %.2f s, %.0f MB/s, %.2f M records/s (tcp=%,d check=%x)%n",
          round + 1, result.records, seconds, mbPerSec[round], result.records / seconds / 1e6, result.tcp,
          result.checksum);
    }
    double[] later = java.util.Arrays.copyOfRange(mbPerSec, Math.min(1, rounds - 1), rounds);
    java.util.Arrays.sort(later);
    double best = later[later.length - 1];
    double median = later[later.length / 2];
    System.out.printf(Locale.ROOT,
        "RESULT file=%s bytes=%,d records=%,d best=%.0f MB/s median=%.0f MB/s best_records_per_s=%.2f M "
            + "peak_heap_mb=%d%n",
        file.getFileName(), bytes, records, best, median, best * 1e6 / bytes * records / 1e6, peakHeapMb());
  }

  private record Result(long records, long tcp, long checksum) { }

  private static Result readAndDecode(Path file) throws IOException {
    PacketDecoder decoder = new PacketDecoder();
    long records = 0;
    long tcp = 0;
    long checksum = 0;
    try (CaptureReader reader = Captures.open(new FileByteSource(file), ProblemSink.IGNORE)) {
      while (reader.next()) {
        DecodedPacket p = decoder.decode(reader.data(), reader.dataOffset(), reader.caplen(), reader.origlen(),
            reader.linkType(), reader.timestampNanos(), reader.recordOffset(), ProblemSink.IGNORE);
        records++;
        if (p.isTcp()) {
          tcp++;
          checksum += p.tcpSeq() ^ ((long) p.srcPort() << 16 | p.dstPort()) ^ p.payloadLength();
        }
      }
    }
    return new Result(records, tcp, checksum);
  }

  private static long peakHeapMb() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak >> 20;
  }
}
