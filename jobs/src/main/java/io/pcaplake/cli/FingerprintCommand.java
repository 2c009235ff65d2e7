package io.pcaplake.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code pcaplake fingerprint [TOKEN]}: the {@code auth_token_fp} a token gets in the {@code http} table (the same
 * keyed HMAC-SHA256, the same key options), so an engineer can match a known key without the lake holding it. With
 * no argument, reads tokens from stdin, one per line, and prints one fingerprint per line in the same order (an
 * empty line gives an empty line; a trailing CR is dropped). No Spark.
 */
@Command(name = "fingerprint", mixinStandardHelpOptions = true,
    description = "Print a token's auth_token_fp (the credentials after the scheme word: for 'Bearer abc', abc)."
        + " Without TOKEN: one token per line on stdin, one fingerprint per line on stdout.")
final class FingerprintCommand implements Callable<Integer> {

  @Parameters(index = "0", arity = "0..1", paramLabel = "TOKEN",
      description = "The token; omit to read tokens from stdin (safer: not in the shell history or ps).")
  String token;

  @Mixin
  KeyOptions keyOptions;

  @Override
  public Integer call() throws IOException {
    UnaryOperator<String> fp = Fingerprints.function(keyOptions.key());
    if (token != null) {
      System.out.println(fp.apply(token));
      System.out.flush();
      return 0;
    }
    run(fp, System.in, System.out);
    return 0;
  }

  /** Stdin mode: one fingerprint per input line, in order, buffered (thousands of tokens per second). */
  static long run(UnaryOperator<String> fp, InputStream in, OutputStream out) throws IOException {
    long n = 0;
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      w.write(line.isEmpty() ? "" : fp.apply(line));
      w.write('\n');
      n++;
    }
    w.flush();
    return n;
  }
}
