package io.pcaplake.synth;

/** Capture file formats the synthesizer writes. */
public enum Format {
  /** Classic pcap, microsecond timestamps, little-endian (magic a1b2c3d4). */
  PCAP,
  /** Classic pcap, nanosecond timestamps, little-endian (magic a1b23c4d). */
  PCAP_NS,
  /** Classic pcap, microsecond timestamps, big-endian. */
  PCAP_BE,
  /** pcapng: one section, one interface per link type (if_tsresol 9: nanoseconds), enhanced packet blocks. */
  PCAPNG
}
