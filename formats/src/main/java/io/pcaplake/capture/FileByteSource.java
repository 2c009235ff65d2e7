package io.pcaplake.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/** A capture on the local file system. Each stream uses its own channel and positional reads; skip is a seek. */
public final class FileByteSource implements ByteSource {
  private final Path path;

  public FileByteSource(Path path) {
    this.path = Objects.requireNonNull(path, "path");
  }

  @Override public String name() { return path.toString(); }

  @Override
  public long length() throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      return ch.size();
    }
  }

  @Override
  public InputStream openAt(long offset) throws IOException {
    return new ChannelStream(FileChannel.open(path, StandardOpenOption.READ), Math.max(0, offset));
  }

  private static final class ChannelStream extends InputStream {
    private final FileChannel channel;
    private long position;

    ChannelStream(FileChannel channel, long position) {
      this.channel = channel;
      this.position = position;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      int n = channel.read(ByteBuffer.wrap(b, off, len), position);
      if (n > 0) {
        position += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = Math.max(0, Math.min(n, channel.size() - position));
      position += skipped;
      return skipped;
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
