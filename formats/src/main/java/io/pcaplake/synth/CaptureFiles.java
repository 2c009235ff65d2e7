package io.pcaplake.synth;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes synthesized packets as capture files or bytes, for tests and the sample command. */
public final class CaptureFiles {
  private CaptureFiles() { }

  static final int BUFFER = 1 << 20;

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

  static void write(OutputStream os, Format format, List<SynthPacket> packets) throws IOException {
    if (format == Format.PCAPNG) {
      MiniPcapngWriter w = new MiniPcapngWriter(os);
      for (SynthPacket p : packets) {
        w.packet(p.linkType(), p.tsNanos(), p.frame(), 0, p.frame().length, p.origlen());
      }
      return;
    }
    int linkType = packets.isEmpty() ? LinkTypes.ETHERNET : packets.get(0).linkType();
    PacketSink w = MiniPcapWriter.of(os, linkType, format);
    for (SynthPacket p : packets) {
      if (p.linkType() != linkType) {
        throw new IllegalArgumentException("classic pcap holds one link type: " + linkType + " and " + p.linkType());
      }
      w.packet(p.tsNanos(), p.frame(), 0, p.frame().length, p.origlen());
    }
  }
}
