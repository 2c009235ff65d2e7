package io.pcaplake.capture;

import java.util.List;

/**
 * What sniffing and the file header said about a capture.
 *
 * @param format "pcap", "pcapng", or "unknown"
 * @param compression "none", "gzip", "zstd" or "bzip2"
 * @param byteOrder "LE" or "BE" (of the first section for pcapng)
 * @param nanosecond classic pcap nanosecond magic (pcapng resolution is per interface)
 * @param snaplen header snaplen (classic pcap; the first interface's for pcapng, 0 when unknown)
 * @param linkTypes link types seen so far (file header or interface descriptions), in order of appearance
 * @param splittable whether byte-range splits can be read independently; false for compressed files
 * @param unsplittableReason why not, for logs ("gzip-compressed: read whole by one task"), or null
 */
public record CaptureInfo(String format, String compression, String byteOrder, boolean nanosecond, int snaplen,
                          List<Integer> linkTypes, boolean splittable, String unsplittableReason) {
  public CaptureInfo {
    linkTypes = List.copyOf(linkTypes);
  }
}
