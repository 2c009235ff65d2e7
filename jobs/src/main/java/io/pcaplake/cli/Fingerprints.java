package io.pcaplake.cli;

import java.util.function.UnaryOperator;

/** The CLI's door to the table layer's credential fingerprints (the same function the http table uses). */
final class Fingerprints {
  private Fingerprints() { }

  /** The fingerprint function of a key (null: the default key); reusable for many tokens. */
  static UnaryOperator<String> function(byte[] key) {
    throw new UnsupportedOperationException("pending: io.pcaplake.http secrets layer");
  }

  static String of(byte[] key, String token) {
    return function(key).apply(token);
  }
}
