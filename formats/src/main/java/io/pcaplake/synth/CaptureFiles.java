package io.pcaplake.synth;

import io.pcaplake.capture.PcapWriter;
import io.pcaplake.capture.PcapngWriter;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes synthesized packets as capture files or bytes, for tests and the sample command, through the capture
 * package's writers ({@link PcapWriter}, {@link PcapngWriter}).
 */
public final class CaptureFiles {
  private CaptureFiles() { }

  static final int BUFFER = 1 << 20;
  /** The snaplen written in the pcap file header and in each pcapng interface description. */
  static final int SNAPLEN = 262_144;
  /** pcapng if_tsresol 9: timestamps in nanoseconds. */
  static final int TSRESOL_NANOS = 9;

  /** Writes the packets in list order. Classic pcap needs a single link type; pcapng takes any mix. */
  public static void write(Path out, Format format, List<SynthPacket> packets) throws IOException {
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), BUFFER)) {
      write(os, format, packets);
    }
  }

  /** The capture file bytes, for feeding readers in tests. */
  public static byte[] bytes(Format format, List<SynthPacket> packets) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out, format, packets);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Writes to {@code os} and flushes it; the caller closes it. */
  static void write(OutputStream os, Format format, List<SynthPacket> packets) throws IOException {
    if (format == Format.PCAPNG) {
      // one little-endian section; an interface per link type, described before its first packet
      PcapngWriter w = new PcapngWriter(os, ByteOrder.LITTLE_ENDIAN);
      Map<Integer, Integer> interfaces = new HashMap<>();
      for (SynthPacket p : packets) {
        Integer id = interfaces.get(p.linkType());
        if (id == null) {
          id = w.addInterface(p.linkType(), SNAPLEN, TSRESOL_NANOS, 0, -1);
          interfaces.put(p.linkType(), id);
        }
        w.writeEpb(id, p.tsNanos(), p.frame(), 0, p.frame().length, p.origlen());
      }
      w.flush();
      return;
    }
    int linkType = packets.isEmpty() ? LinkTypes.ETHERNET : packets.get(0).linkType();
    PcapWriter w = new PcapWriter(os, format == Format.PCAP_BE ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN,
        format == Format.PCAP_NS, SNAPLEN, linkType);
    for (SynthPacket p : packets) {
      if (p.linkType() != linkType) {
        throw new IllegalArgumentException("classic pcap holds one link type: " + linkType + " and " + p.linkType());
      }
      w.write(p.tsNanos(), p.frame(), 0, p.frame().length, p.origlen());
    }
    w.flush();
  }
}
