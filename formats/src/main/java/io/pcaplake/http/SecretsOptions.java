package io.pcaplake.http;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * How the table layer treats credentials ({@link Secrets}); serializable so Spark can ship it to executors.
 *
 * @param key HMAC-SHA256 key of the fingerprints ({@code --fingerprint-key}); {@link #DEFAULT_KEY} when not set
 * @param keepSecrets {@code --keep-secrets}: header values are stored raw (fingerprint columns are still filled)
 */
public record SecretsOptions(byte[] key, boolean keepSecrets) implements Serializable {
  /**
   * The documented default key, {@code pcaplake-default-fingerprint-key} (UTF-8). Fine for a single user matching
   * tokens on their own machine; anyone who knows it can confirm a guessed token against a fingerprint, so a shared
   * lake must set its own key.
   */
  public static final String DEFAULT_KEY_TEXT = "pcaplake-default-fingerprint-key";

  public static final byte[] DEFAULT_KEY = DEFAULT_KEY_TEXT.getBytes(StandardCharsets.UTF_8);

  public SecretsOptions {
    key = (key == null || key.length == 0 ? DEFAULT_KEY : key).clone();
  }

  /** Default key, secrets fingerprinted. */
  public static SecretsOptions defaults() {
    return new SecretsOptions(DEFAULT_KEY, false);
  }

  /** Key from its text form (UTF-8; null or empty = default). */
  public static SecretsOptions of(String key, boolean keepSecrets) {
    return new SecretsOptions(key == null ? null : key.getBytes(StandardCharsets.UTF_8), keepSecrets);
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretsOptions s && s.keepSecrets == keepSecrets && Arrays.equals(s.key, key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(key), keepSecrets);
  }

  @Override
  public String toString() {
    return "SecretsOptions[key=" + (Arrays.equals(key, DEFAULT_KEY) ? "default" : "(set)") + ", keepSecrets="
        + keepSecrets + "]";
  }
}
