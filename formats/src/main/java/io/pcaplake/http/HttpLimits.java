package io.pcaplake.http;

/**
 * Every bound of the HTTP parser, in one place (like Netty's {@code HttpDecoderConfig}). A limit hit becomes an
 * anomaly ({@link HttpReasons}) and parsing goes on; memory per connection stays bounded by these numbers.
 *
 * <table>
 *   <caption>limits and defaults</caption>
 *   <tr><td>maxStartLine</td><td>8 KiB</td><td>request or status line, without the line end</td></tr>
 *   <tr><td>maxHeaderBytes</td><td>64 KiB</td><td>whole header section (and trailer section), line ends included</td></tr>
 *   <tr><td>maxHeaders</td><td>256</td><td>headers kept per message; later ones are still read for framing</td></tr>
 *   <tr><td>maxChunkSizeLine</td><td>1 KiB</td><td>chunk-size line with its extensions</td></tr>
 *   <tr><td>bodyPrefixBytes</td><td>1 KiB</td><td>decoded body bytes kept per message (for sniffing/extraction)</td></tr>
 *   <tr><td>maxDecodedBytes</td><td>128 MiB</td><td>decoded body size after which decoding stops (bomb cap)</td></tr>
 *   <tr><td>maxDecodeRatio</td><td>200</td><td>decoded/wire ratio after which decoding stops ...</td></tr>
 *   <tr><td>ratioFloorBytes</td><td>1 MiB</td><td>... once at least this many bytes were decoded</td></tr>
 *   <tr><td>brotliBufferBytes</td><td>8 MiB</td><td>encoded bytes buffered for a br stage (decoded at message end)</td></tr>
 *   <tr><td>maxPendingRequests</td><td>100</td><td>requests waiting for a response (Zeek's max_pending_requests)</td></tr>
 *   <tr><td>maxHeldBytes</td><td>64 KiB</td><td>client bytes held after an Upgrade/CONNECT request until its response</td></tr>
 * </table>
 */
public record HttpLimits(int maxStartLine, int maxHeaderBytes, int maxHeaders, int maxChunkSizeLine,
                         int bodyPrefixBytes, long maxDecodedBytes, int maxDecodeRatio, long ratioFloorBytes,
                         int brotliBufferBytes, int maxPendingRequests, int maxHeldBytes) {
  public static final HttpLimits DEFAULTS = new HttpLimits(8 * 1024, 64 * 1024, 256, 1024, 1024,
      128L << 20, 200, 1L << 20, 8 << 20, 100, 64 * 1024);

  public HttpLimits {
    if (maxStartLine < 16 || maxHeaderBytes < 16 || maxHeaders < 1 || maxChunkSizeLine < 3 || bodyPrefixBytes < 0
        || maxDecodedBytes < 0 || maxDecodeRatio < 1 || ratioFloorBytes < 0 || brotliBufferBytes < 0
        || maxPendingRequests < 1 || maxHeldBytes < 0) {
      throw new IllegalArgumentException("bad HTTP limits " + maxStartLine + "/" + maxHeaderBytes + "/" + maxHeaders
          + "/" + maxChunkSizeLine + "/" + bodyPrefixBytes + "/" + maxDecodedBytes + "/" + maxDecodeRatio);
    }
  }

  public HttpLimits withMaxStartLine(int v) {
    return new HttpLimits(v, maxHeaderBytes, maxHeaders, maxChunkSizeLine, bodyPrefixBytes, maxDecodedBytes,
        maxDecodeRatio, ratioFloorBytes, brotliBufferBytes, maxPendingRequests, maxHeldBytes);
  }

  public HttpLimits withMaxHeaderBytes(int v) {
    return new HttpLimits(maxStartLine, v, maxHeaders, maxChunkSizeLine, bodyPrefixBytes, maxDecodedBytes,
        maxDecodeRatio, ratioFloorBytes, brotliBufferBytes, maxPendingRequests, maxHeldBytes);
  }

  public HttpLimits withMaxHeaders(int v) {
    return new HttpLimits(maxStartLine, maxHeaderBytes, v, maxChunkSizeLine, bodyPrefixBytes, maxDecodedBytes,
        maxDecodeRatio, ratioFloorBytes, brotliBufferBytes, maxPendingRequests, maxHeldBytes);
  }

  public HttpLimits withMaxChunkSizeLine(int v) {
    return new HttpLimits(maxStartLine, maxHeaderBytes, maxHeaders, v, bodyPrefixBytes, maxDecodedBytes,
        maxDecodeRatio, ratioFloorBytes, brotliBufferBytes, maxPendingRequests, maxHeldBytes);
  }

  public HttpLimits withBodyPrefixBytes(int v) {
    return new HttpLimits(maxStartLine, maxHeaderBytes, maxHeaders, maxChunkSizeLine, v, maxDecodedBytes,
        maxDecodeRatio, ratioFloorBytes, brotliBufferBytes, maxPendingRequests, maxHeldBytes);
  }

  public HttpLimits withDecodeCaps(long maxDecoded, int ratio, long ratioFloor) {
    return new HttpLimits(maxStartLine, maxHeaderBytes, maxHeaders, maxChunkSizeLine, bodyPrefixBytes, maxDecoded,
        ratio, ratioFloor, brotliBufferBytes, maxPendingRequests, maxHeldBytes);
  }

  public HttpLimits withBrotliBufferBytes(int v) {
    return new HttpLimits(maxStartLine, maxHeaderBytes, maxHeaders, maxChunkSizeLine, bodyPrefixBytes,
        maxDecodedBytes, maxDecodeRatio, ratioFloorBytes, v, maxPendingRequests, maxHeldBytes);
  }

  public HttpLimits withMaxPendingRequests(int v) {
    return new HttpLimits(maxStartLine, maxHeaderBytes, maxHeaders, maxChunkSizeLine, bodyPrefixBytes,
        maxDecodedBytes, maxDecodeRatio, ratioFloorBytes, brotliBufferBytes, v, maxHeldBytes);
  }
}
