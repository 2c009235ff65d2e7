package io.pcaplake.http;

import java.util.List;

/**
 * One request as parsed.
 *
 * @param ts capture time of its first byte, ns
 * @param method method token as sent
 * @param uri request target, bytes outside printable ASCII that are not valid UTF-8 percent-escaped
 *     ({@code %XX}, upper-case); control bytes and SP are escaped too
 * @param path uri up to the first {@code ?}
 * @param query uri after the first {@code ?}, null when there is none
 * @param version {@code HTTP/1.1}, {@code HTTP/1.0}, {@code HTTP/0.9} (a two-token request line) or what was sent
 * @param headers header lines in wire order, duplicates kept (at most {@link HttpLimits#maxHeaders})
 * @param trailers chunked trailer lines, wire order
 * @param body the body; a request without body has wireBytes 0 and null sha256
 * @param authorization the raw Authorization value (else Proxy-Authorization), or null: for the secrets layer only
 * @param complete the message was read to its end (framing satisfied)
 * @param gapBytes bytes missing inside the message
 */
public record HttpRequest(long ts, String method, String uri, String path, String query, String version,
                          List<HttpHeader> headers, List<HttpHeader> trailers, HttpBody body,
                          String authorization, boolean complete, long gapBytes) {
  /** Value of the first header with this name (case-insensitive), or null. */
  public String header(String name) {
    return HttpMessages.first(headers, name);
  }
}
