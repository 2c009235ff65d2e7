package io.pcaplake.spark.ingest;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local file system under the scheme {@code pickyfs:}, where opening a file whose name contains
 * {@code unreadable} fails (as a permission error or a file vanished after listing would).
 */
public class PickyFileSystem extends RawLocalFileSystem {
  @Override
  public URI getUri() {
    return URI.create("pickyfs:///");
  }

  @Override
  public String getScheme() {
    return "pickyfs";
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    if (f.getName().contains("unreadable")) {
      throw new java.nio.file.AccessDeniedException("injected open failure: " + f);
    }
    return super.open(f, bufferSize);
  }
}
