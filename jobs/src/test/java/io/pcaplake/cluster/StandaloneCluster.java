package io.pcaplake.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on loopback, for tests: one Master and N Workers, each its own JVM, started from a
 * directory laid out like a Spark distribution ({@code spark-home/jars/} holds symlinks to Spark's runtime jars and
 * nothing of pcaplake, {@code spark-home/conf/} the executors' and driver's log4j2 config, {@code bin/spark-submit}
 * the java command Spark's launcher would run), and {@link #submit} of a submit script against it.
 *
 * <p>Every child writes stdout and stderr to {@code <dir>/<name>.log}; {@link #dumpLogs} prints their tails and
 * the executors' stderr. {@link #close} (and a shutdown hook, should the test JVM die first) stops every child and
 * its descendants (the executors the Workers forked): TERM first, KILL after a grace period.
 */
final class StandaloneCluster implements AutoCloseable {
  static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://[0-9.]+:[0-9]+)");
  static final String REGISTERED = "Successfully registered with master";
  static final String SCALA_VERSION = "2.13";
  private static final Duration GRACE = Duration.ofSeconds(10);
  /**
   * For every child JVM, executors included: short-lived JVMs on a shared 2-core machine spend much of their CPU in
   * the C2 compiler and parallel GC threads; C1 only and the serial collector keep them light.
   */
  static final List<String> LIGHT_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private final Path dir;
  private final Path sparkHome;
  private final List<String> jvmFlags;
  private final int workers;
  private final List<Child> children = new ArrayList<>();
  private final List<Path> workDirs = new ArrayList<>();
  private final Thread hook = new Thread(this::stopAll, "standalone-cluster-stop");
  private volatile String masterUrl;

  private record Child(String name, Process process, Path log) { }

  /**
   * @param dir an empty working directory (logs, work dirs, the fake Spark home)
   * @param sparkJars Spark's runtime classpath: what a Spark distribution's {@code jars/} holds
   * @param jvmFlags Spark's JVM module flags ({@code spark.jvm.flags}), whole and in order
   * @param workers how many Worker JVMs (1 core, 1 GiB each)
   */
  StandaloneCluster(Path dir, List<Path> sparkJars, String jvmFlags, int workers) throws IOException {
    this.dir = dir;
    this.jvmFlags = Arrays.asList(jvmFlags.trim().split("\\s+"));
    this.workers = workers;
    this.sparkHome = dir.resolve("spark-home");
    Path jars = Files.createDirectories(sparkHome.resolve("jars"));
    for (Path jar : sparkJars) {
      Path link = jars.resolve(jar.getFileName());
      if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalArgumentException("two Spark jars named " + jar.getFileName());
      }
      Files.createSymbolicLink(link, jar.toAbsolutePath());
    }
    Files.createDirectories(dir.resolve("tmp"));
    Path conf = Files.createDirectories(sparkHome.resolve("conf"));
    Files.writeString(conf.resolve("log4j2.properties"), String.join("\n",
        "rootLogger.level = warn",
        "rootLogger.appenderRef.stderr.ref = console",
        "appender.console.type = Console",
        "appender.console.name = console",
        "appender.console.target = SYSTEM_ERR",
        "appender.console.layout.type = PatternLayout",
        "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1}: %m%n",
        "logger.hadoop.name = org.apache.hadoop",
        "logger.hadoop.level = error", ""));
    writeSparkSubmit();
    Runtime.getRuntime().addShutdownHook(hook);
  }

  Path sparkHome() {
    return sparkHome;
  }

  /** The Workers' {@code --work-dir}s: {@code <app id>/<executor id>/} below them is each executor's directory. */
  List<Path> workDirs() {
    return List.copyOf(workDirs);
  }

  String masterUrl() {
    return masterUrl;
  }

  /**
   * Starts the Master (random ports, URL read from its log), then the Workers, and waits until every Worker has
   * registered.
   */
  void start(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    // Master and Worker log at Spark's default level (INFO): their start-up lines are what we wait for.
    List<String> master = java(List.of("-Xmx256m", "-Dspark.master.rest.enabled=false"), jarsClasspath(),
        "org.apache.spark.deploy.master.Master");
    master.addAll(List.of("--host", "127.0.0.1", "--port", "0", "--webui-port", "0"));
    Child m = launch("master", master, Map.of());
    masterUrl = await(m, MASTER_URL, deadline).group(1);
    List<Child> started = new ArrayList<>();
    for (int i = 1; i <= workers; i++) {
      Path work = Files.createDirectories(dir.resolve("work-" + i));
      workDirs.add(work);
      List<String> worker = java(List.of("-Xmx256m"), jarsClasspath(), "org.apache.spark.deploy.worker.Worker");
      worker.addAll(List.of("--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", "0",
          "--work-dir", work.toString(), masterUrl));
      started.add(launch("worker-" + i, worker, Map.of()));
    }
    for (Child w : started) {
      await(w, Pattern.compile(Pattern.quote(REGISTERED)), deadline);
    }
  }

  /**
   * Runs a submit script ({@code scripts/submit-standalone.sh}) with {@code SPARK_HOME} set to this distribution
   * (so it runs {@code bin/spark-submit}: {@code SparkSubmit} in a child JVM with a 768 MiB heap; in client mode the
   * driver), {@code SPARK_MASTER} to this cluster, plus {@code env}; returns its exit code. Output:
   * {@code <dir>/submit.log}.
   */
  int submit(Path script, Map<String, String> env, List<String> args, Duration timeout)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
    cmd.addAll(args);
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("SPARK_MASTER", masterUrl);
    Child submit = launch("submit", cmd, all);
    if (!submit.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("spark-submit still running after " + timeout);
    }
    return submit.process().exitValue();
  }

  /** The child's whole output so far. */
  String log(String name) throws IOException {
    return Files.readString(dir.resolve(name + ".log"), StandardCharsets.UTF_8);
  }

  /** {@code java <Spark's flags> <LIGHT_JVM> <heap> -cp <classpath> <mainClass>}. */
  private List<String> java(List<String> heap, String classpath, String mainClass) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags);
    cmd.addAll(LIGHT_JVM);
    cmd.add("-Djava.io.tmpdir=" + dir.resolve("tmp"));
    cmd.addAll(heap);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    return cmd;
  }

  private String jarsClasspath() {
    return sparkHome.resolve("jars") + "/*";
  }

  /** Spark's {@code bin/spark-submit} would build the same java command (with its launcher). */
  private void writeSparkSubmit() throws IOException {
    StringBuilder sh = new StringBuilder("#!/usr/bin/env bash\nexec");
    for (String a : java(List.of("-Xmx768m"), sparkHome.resolve("conf") + ":" + jarsClasspath(),
        "org.apache.spark.deploy.SparkSubmit")) {
      sh.append(" '").append(a).append('\'');
    }
    sh.append(" \"$@\"\n");
    Path bin = Files.createDirectories(sparkHome.resolve("bin")).resolve("spark-submit");
    Files.writeString(bin, sh.toString());
    if (!bin.toFile().setExecutable(true)) {
      throw new IOException("cannot make " + bin + " executable");
    }
  }

  private Child launch(String name, List<String> cmd, Map<String, String> extraEnv) throws IOException {
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("HADOOP_") || k.startsWith("YARN_"));
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    // A Worker builds each executor's classpath from $SPARK_HOME/jars and needs the Scala version to do so.
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", SCALA_VERSION);
    env.put("JAVA_HOME", System.getProperty("java.home"));
    // Shuffle and block-manager files of the executors (the Workers hand this on) and the driver: in our dir.
    env.put("SPARK_LOCAL_DIRS", dir.resolve("tmp").toString());
    env.putAll(extraEnv);
    Child c = new Child(name, pb.start(), log);
    synchronized (children) {
      children.add(c);
    }
    return c;
  }

  private static Matcher await(Child c, Pattern p, long deadline) throws IOException, InterruptedException {
    while (true) {
      Matcher m = p.matcher(Files.readString(c.log(), StandardCharsets.UTF_8));
      if (m.find()) {
        return m;
      }
      if (!c.process().isAlive()) {
        throw new IllegalStateException(c.name() + " exited (" + c.process().exitValue() + ") before '" + p + "'");
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(c.name() + ": no '" + p + "' in its log in time");
      }
      Thread.sleep(200);
    }
  }

  /** Prints the last lines of every child's log and of every executor's stderr. */
  void dumpLogs(PrintStream out) {
    List<Path> logs = new ArrayList<>();
    synchronized (children) {
      children.forEach(c -> logs.add(c.log()));
    }
    for (Path w : workDirs) {
      try (Stream<Path> s = Files.walk(w)) {
        s.filter(p -> p.getFileName().toString().equals("stderr")).sorted().forEach(logs::add);
      } catch (IOException e) {
        out.println("cannot list " + w + ": " + e);
      }
    }
    for (Path log : logs) {
      out.println("===== " + dir.relativize(log) + " (last 150 lines) =====");
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        lines.subList(Math.max(0, lines.size() - 150), lines.size()).forEach(out::println);
      } catch (IOException | UncheckedIOException e) {
        out.println("cannot read: " + e);
      }
    }
  }

  @Override
  public void close() {
    stopAll();
    // The jars are symlinks into the Maven repository: remove the links here (a temp-dir cleaner warns on each).
    try (Stream<Path> links = Files.list(sparkHome.resolve("jars"))) {
      for (Path l : links.toList()) {
        Files.deleteIfExists(l);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or has run
    }
  }

  /** TERM to every child and its descendants (executors), newest first; KILL to those alive after the grace. */
  private void stopAll() {
    List<ProcessHandle> all = new ArrayList<>();
    synchronized (children) {
      for (int i = children.size() - 1; i >= 0; i--) {
        ProcessHandle h = children.get(i).process().toHandle();
        h.descendants().forEach(all::add);   // before the parent goes: orphans are re-parented
        all.add(h);
      }
    }
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + GRACE.toNanos();
    for (ProcessHandle h : all) {
      long left = deadline - System.nanoTime();
      try {
        if (left <= 0) {
          break;
        }
        h.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception notYet) {
        break;
      }
    }
    all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // killed; the kernel reaps it
      }
    }
  }
}
