package io.pcaplake.cli;

import io.pcaplake.http.Secrets;
import io.pcaplake.http.SecretsOptions;
import java.util.function.UnaryOperator;

/** The CLI's door to the table layer's credential fingerprints ({@link Secrets}: the function the http table uses). */
final class Fingerprints {
  private Fingerprints() { }

  /** The fingerprint function of a key (null: the default key); one HMAC instance, reused for many tokens. */
  static UnaryOperator<String> function(byte[] key) {
    Secrets s = new Secrets(new SecretsOptions(key, false));
    return s::fingerprint;
  }

  static String of(byte[] key, String token) {
    return function(key).apply(token);
  }
}
