package io.pcaplake.spark.ingest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pcaplake ingest IN --lake LAKE --run-id RUN} in a child JVM (this JVM's flags and class path, 1 GiB heap,
 * {@code local[1]}), for the tests that kill a driver: {@link IngestCrashTest} halts it at a named point,
 * {@link IngestRandomKillTest} kills it with SIGKILL at a random moment.
 */
final class ChildIngest {
  private ChildIngest() { }

  /**
   * Starts the child, its stdout and stderr merged (read them, or redirect: see {@code ProcessBuilder}).
   *
   * @param props extra {@code -Dname=value} arguments for the child JVM
   * @param more extra ingest options
   */
  static ProcessBuilder command(Path in, Path lake, String runId, List<String> props, String... more) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!a.startsWith("-Xmx") && !a.startsWith("-agentlib") && !a.startsWith("-javaagent")) {
        cmd.add(a);
      }
    }
    cmd.add("-Xmx1g");
    cmd.addAll(props);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.pcaplake.cli.Main", "--master", "local[1]",
        "ingest", in.toString(), "--lake", lake.toString(), "--run-id", runId));
    cmd.addAll(List.of(more));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return pb;
  }

  static Process start(Path in, Path lake, String runId, Path log, List<String> props, String... more)
      throws IOException {
    return command(in, lake, runId, props, more).redirectOutput(log.toFile()).start();
  }
}
