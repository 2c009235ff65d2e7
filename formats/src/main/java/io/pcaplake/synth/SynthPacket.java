package io.pcaplake.synth;

/**
 * One synthesized capture record.
 *
 * @param tsNanos capture timestamp, nanoseconds since the Unix epoch
 * @param linkType LINKTYPE_* value of {@code frame}
 * @param frame the captured bytes, starting at the link-layer header (not copied: do not modify)
 * @param origlen original length on the wire; at least {@code frame.length}
 */
public record SynthPacket(long tsNanos, int linkType, byte[] frame, int origlen) {
  public SynthPacket {
    if (frame == null) {
      throw new IllegalArgumentException("frame is null");
    }
    if (origlen < frame.length) {
      throw new IllegalArgumentException("origlen " + origlen + " < caplen " + frame.length);
    }
  }

  /** A record whose whole frame was captured. */
  public static SynthPacket of(long tsNanos, int linkType, byte[] frame) {
    return new SynthPacket(tsNanos, linkType, frame, frame.length);
  }

  /** The same packet cut to {@code snaplen} captured bytes, keeping the original length. */
  public SynthPacket truncated(int snaplen) {
    if (snaplen >= frame.length) {
      return this;
    }
    return new SynthPacket(tsNanos, linkType, java.util.Arrays.copyOf(frame, snaplen), origlen);
  }
}
