package io.pcaplake.http;

import java.util.List;

/**
 * One final response as parsed (1xx interim responses before it are folded into {@code infoCode}).
 *
 * @param ts capture time of its first byte (of the first 1xx when there was one), ns
 * @param version as sent, e.g. {@code HTTP/1.1}; null for an HTTP/0.9 response (no status line)
 * @param statusCode the final status, or 0 when none was seen (HTTP/0.9)
 * @param reason reason phrase, empty when missing
 * @param infoCode last 1xx status seen before the final one, or 0
 * @param headers header lines in wire order, duplicates kept
 * @param trailers chunked trailer lines
 * @param body the (decoded) body
 * @param complete the message was read to its end (framing satisfied)
 * @param gapBytes bytes missing inside the message
 */
public record HttpResponse(long ts, String version, int statusCode, String reason, int infoCode,
                           List<HttpHeader> headers, List<HttpHeader> trailers, HttpBody body, boolean complete,
                           long gapBytes) {
  public String header(String name) {
    return HttpMessages.first(headers, name);
  }
}
