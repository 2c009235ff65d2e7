package io.pcaplake.hadoop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * The one MiniDFSCluster of a test JVM (1 MiB blocks by default; start-up takes 8-13 s on Hadoop 3.5.0: pay it
 * once). Files may be written with their own block size down to {@link #MIN_BLOCK}.
 */
public final class MiniDfs {
  static final long BLOCK = 1024 * 1024;
  /** Smallest per-file block size the NameNode accepts here (its default minimum is 1 MiB). */
  public static final long MIN_BLOCK = 64 * 1024;
  private static MiniDFSCluster cluster;
  private static java.nio.file.Path base;
  private static boolean hooked;

  private MiniDfs() { }

  public static synchronized FileSystem fs() {
    if (cluster == null) {
      try {
        Configuration conf = new Configuration();
        base = Files.createTempDirectory("minidfs");
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        conf.setLong("dfs.blocksize", BLOCK);
        conf.setLong("dfs.namenode.fs-limits.min-block-size", MIN_BLOCK);
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        if (!hooked) {
          Runtime.getRuntime().addShutdownHook(new Thread(MiniDfs::shutdown));
          hooked = true;
        }
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

  /** Stops the cluster and deletes its directories; the next {@link #fs()} starts a new one. */
  public static synchronized void shutdown() {
    if (cluster == null) {
      return;
    }
    try {
      cluster.shutdown();
    } finally {
      FileUtil.fullyDelete(base.toFile());
      cluster = null;
    }
  }

  /** The NameNode's address as {@code hdfs://127.0.0.1:PORT}, which other JVMs on this machine reach too. */
  public static synchronized String loopbackUri() {
    fs();
    return "hdfs://127.0.0.1:" + cluster.getNameNodePort();
  }
}
