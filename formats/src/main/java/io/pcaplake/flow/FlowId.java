package io.pcaplake.flow;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The flows table's {@code flow_id}: 32 lower-case hex characters, the first 128 bits of SHA-256 over
 * {@code "pcaplake-flow-v1" || FlowKey.encode() || startTsNanos (8 BE) || connectionIndex (4 BE)}. Depends only on
 * the connection, so every run and engine gives the same id.
 */
public final class FlowId {
  private static final byte[] DOMAIN = "pcaplake-flow-v1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private FlowId() { }

  public static String of(FlowKey key, long startTsNanos, int connectionIndex) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
    sha.update(DOMAIN);
    sha.update(key.encode());
    byte[] tail = new byte[12];
    for (int i = 0; i < 8; i++) {
      tail[i] = (byte) (startTsNanos >>> (56 - 8 * i));
    }
    for (int i = 0; i < 4; i++) {
      tail[8 + i] = (byte) (connectionIndex >>> (24 - 8 * i));
    }
    sha.update(tail);
    byte[] d = sha.digest();
    char[] out = new char[32];
    for (int i = 0; i < 16; i++) {
      out[2 * i] = HEX[(d[i] >>> 4) & 0xf];
      out[2 * i + 1] = HEX[d[i] & 0xf];
    }
    return new String(out);
  }
}
