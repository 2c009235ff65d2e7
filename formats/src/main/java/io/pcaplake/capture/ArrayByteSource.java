package io.pcaplake.capture;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Objects;

/** An in-memory capture, for tests and fuzzing. The array is not copied: do not change it while reading. */
public final class ArrayByteSource implements ByteSource {
  private final String name;
  private final byte[] bytes;

  public ArrayByteSource(String name, byte[] bytes) {
    this.name = Objects.requireNonNull(name, "name");
    this.bytes = Objects.requireNonNull(bytes, "bytes");
  }

  @Override public String name() { return name; }

  @Override public long length() { return bytes.length; }

  @Override
  public InputStream openAt(long offset) {
    int from = (int) Math.min(Math.max(offset, 0), bytes.length);
    return new ByteArrayInputStream(bytes, from, bytes.length - from);
  }
}
