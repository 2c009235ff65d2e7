package io.pcaplake.http;

/**
 * What was seen of one message body. Bodies are streamed: only {@code prefix} (at most
 * {@link HttpLimits#bodyPrefixBytes}) is kept.
 *
 * @param wireBytes body bytes after transfer decoding (chunk framing removed), before content decoding; excludes gaps
 * @param decodedBytes bytes after content decoding (equals wireBytes for identity)
 * @param sha256 lower-case hex SHA-256 of the decoded bytes that were produced, null when there was no body
 * @param contentType the Content-Type header value, or null
 * @param contentEncoding the Content-Encoding header value as sent (e.g. {@code gzip, br}), or null
 * @param transferEncoding the Transfer-Encoding header value, or null
 * @param prefix the first decoded bytes
 * @param truncated decoding stopped at the bomb limit ({@link HttpReasons#DECOMPRESSION_BOMB})
 * @param decodeFailed content decoding failed, hit a gap or an unsupported coding: decoded size and hash cover what was
 *     produced before that (for an unsupported coding, the wire bytes)
 * @param gapBytes bytes of this body missing from the capture
 */
public record HttpBody(long wireBytes, long decodedBytes, String sha256, String contentType, String contentEncoding,
                       String transferEncoding, byte[] prefix, boolean truncated, boolean decodeFailed,
                       long gapBytes) {
}
