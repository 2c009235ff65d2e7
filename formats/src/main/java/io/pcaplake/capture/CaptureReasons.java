package io.pcaplake.capture;

/** Every reason code the capture readers report. Each is documented in {@code docs/anomalies.md}. */
public final class CaptureReasons {
  private CaptureReasons() { }

  public static final String NOT_A_CAPTURE = "capture.not_a_capture";
  public static final String EMPTY = "capture.empty";
  public static final String DECOMPRESS_ERROR = "capture.decompress_error";

  public static final String PCAP_TRUNCATED_HEADER = "pcap.truncated_header";
  public static final String PCAP_BAD_VERSION = "pcap.bad_version";
  public static final String PCAP_TRUNCATED_RECORD = "pcap.truncated_record";
  public static final String PCAP_BAD_RECORD_HEADER = "pcap.bad_record_header";
  public static final String PCAP_CAPLEN_EXCEEDS_SNAPLEN = "pcap.caplen_exceeds_snaplen";
  public static final String PCAP_RECORD_TRIMMED = "pcap.record_trimmed";

  public static final String PCAPNG_BAD_BLOCK_LENGTH = "pcapng.bad_block_length";
  public static final String PCAPNG_TRAILING_LENGTH_MISMATCH = "pcapng.trailing_length_mismatch";
  public static final String PCAPNG_EPB_BEFORE_IDB = "pcapng.epb_before_idb";
  public static final String PCAPNG_UNKNOWN_INTERFACE = "pcapng.unknown_interface";
  public static final String PCAPNG_OPTION_OVERRUN = "pcapng.option_overrun";
  public static final String PCAPNG_TRUNCATED_BLOCK = "pcapng.truncated_block";
  public static final String PCAPNG_CAPLEN_EXCEEDS_BLOCK = "pcapng.caplen_exceeds_block";
  public static final String PCAPNG_BAD_SECTION_HEADER = "pcapng.bad_section_header";
}
