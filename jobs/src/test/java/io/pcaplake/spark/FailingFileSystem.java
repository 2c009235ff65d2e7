package io.pcaplake.spark;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/** The local file system under the scheme {@code failfs:}, where listing works and every open fails. */
public class FailingFileSystem extends RawLocalFileSystem {
  @Override
  public URI getUri() {
    return URI.create("failfs:///");
  }

  @Override
  public String getScheme() {
    return "failfs";
  }

  @Override
  public FSDataInputStream open(Path f, int bufferSize) throws IOException {
    throw new IOException("injected open failure: " + f);
  }
}
