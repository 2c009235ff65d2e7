package io.pcaplake.local;

import io.pcaplake.capture.ByteSource;
import io.pcaplake.capture.FileByteSource;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One input of the local engine: where its bytes come from and the name its rows carry ({@code capture_file}).
 *
 * @param name the {@code capture_file} value
 * @param source the bytes
 */
public record CaptureInput(String name, ByteSource source) {
  /** Name of standard input. */
  public static final String STDIN = "-";

  public CaptureInput {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
  }

  /**
   * A local file, named as the Spark engine names it (Hadoop's qualified path of a local file,
   * {@code file:/abs/path}), so both engines write the same {@code capture_file} values.
   */
  public static CaptureInput of(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    return new CaptureInput("file:" + abs, new FileByteSource(abs));
  }

  /** A stream read once from its start (standard input: {@code tcpdump -w - | pcaplake flow -r -}). */
  public static CaptureInput stream(String name, InputStream in) {
    return new CaptureInput(name, new StreamByteSource(name, in));
  }
}
