package io.pcaplake.http;

/** Stable reason codes of the {@code http} layer; documented in {@code docs/anomalies.md} (section http). */
public final class HttpReasons {
  private HttpReasons() { }

  // framing and syntax
  public static final String BAD_REQUEST_LINE = "http.bad_request_line";
  public static final String BAD_STATUS_LINE = "http.bad_status_line";
  public static final String HTTP09_REQUEST = "http.http09_request";
  public static final String UNKNOWN_METHOD = "http.unknown_method";
  public static final String BAD_VERSION = "http.bad_version";
  public static final String MISSING_REASON = "http.missing_reason";
  public static final String BARE_LF = "http.bare_lf";
  public static final String OBS_FOLD = "http.obs_fold";
  public static final String BAD_HEADER_LINE = "http.bad_header_line";
  public static final String ODD_HEADER_NAME = "http.odd_header_name";
  public static final String NON_UTF8_URI = "http.non_utf8_uri";
  public static final String NON_UTF8_HEADER = "http.non_utf8_header";
  public static final String BAD_CONTENT_LENGTH = "http.bad_content_length";
  public static final String CONFLICTING_CONTENT_LENGTH = "http.conflicting_content_length";
  public static final String TE_AND_CL = "http.te_and_cl";
  public static final String BAD_TRANSFER_ENCODING = "http.bad_transfer_encoding";
  public static final String BAD_CHUNK_SIZE = "http.bad_chunk_size";
  public static final String BAD_CHUNK_END = "http.bad_chunk_end";
  // limits
  public static final String START_LINE_TOO_LONG = "http.start_line_too_long";
  public static final String HEADERS_TOO_LARGE = "http.headers_too_large";
  public static final String TOO_MANY_HEADERS = "http.too_many_headers";
  public static final String CHUNK_SIZE_LINE_TOO_LONG = "http.chunk_size_line_too_long";
  public static final String DECOMPRESSION_BOMB = "http.decompression_bomb";
  public static final String DECODE_BUFFER_EXCEEDED = "http.decode_buffer_exceeded";
  public static final String EXCESSIVE_PIPELINING = "http.excessive_pipelining";
  // content coding
  public static final String UNSUPPORTED_ENCODING = "http.unsupported_encoding";
  public static final String DECODE_FAILED = "http.decode_failed";
  // stream
  public static final String GAP_IN_BODY = "http.gap_in_body";
  public static final String GAP_IN_HEADERS = "http.gap_in_headers";
  public static final String RESYNC_SKIPPED = "http.resync_skipped";
  public static final String TRUNCATED_MESSAGE = "http.truncated_message";
  public static final String RESPONSE_WITHOUT_REQUEST = "http.response_without_request";
  // the connection stops being HTTP/1.x
  public static final String UPGRADE = "http.upgrade";
  public static final String CONNECT_TUNNEL = "http.connect_tunnel";
}
