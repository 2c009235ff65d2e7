package io.pcaplake.hadoop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** The one MiniDFSCluster of a test JVM (1 MiB blocks; start-up takes 8-13 s on Hadoop 3.5.0: pay it once). */
final class MiniDfs {
  static final long BLOCK = 1024 * 1024;
  private static MiniDFSCluster cluster;

  private MiniDfs() { }

  static synchronized FileSystem fs() {
    if (cluster == null) {
      try {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, Files.createTempDirectory("minidfs").toString());
        conf.setLong("dfs.blocksize", BLOCK);
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::shutdown));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    try {
      return cluster.getFileSystem();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
