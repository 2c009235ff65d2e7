package io.pcaplake.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The fingerprint key options shared by {@code flows}, {@code demo} and {@code fingerprint}: {@code --fingerprint-key
 * KEY} (its UTF-8 bytes) or {@code --fingerprint-key-file F} (the file's bytes, one trailing newline removed);
 * neither: the documented default key. The key never reaches report.xml (see {@link FlowsCommand#commandLine}).
 */
final class KeyOptions {
  static final String KEY = "--fingerprint-key";
  static final String KEY_FILE = "--fingerprint-key-file";

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Source source;

  static final class Source {
    @Option(names = KEY, paramLabel = "KEY",
        description = "HMAC-SHA256 key of credential fingerprints (UTF-8); default: the documented built-in key.")
    String key;

    @Option(names = KEY_FILE, paramLabel = "FILE",
        description = "Read the fingerprint key from FILE (bytes, one trailing newline removed).")
    Path file;
  }

  /** The key bytes, or null for the default key. */
  byte[] key() throws IOException {
    if (source == null) {
      return null;
    }
    if (source.key != null) {
      return nonEmpty(source.key.getBytes(StandardCharsets.UTF_8), KEY);
    }
    return nonEmpty(read(source.file), KEY_FILE + " " + source.file);
  }

  static byte[] read(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    int n = b.length;
    if (n > 0 && b[n - 1] == '\n') {
      n--;
      if (n > 0 && b[n - 1] == '\r') {
        n--;
      }
    }
    return Arrays.copyOf(b, n);
  }

  private static byte[] nonEmpty(byte[] key, String where) {
    if (key.length == 0) {
      throw new IllegalArgumentException("empty fingerprint key from " + where);
    }
    return key;
  }
}
