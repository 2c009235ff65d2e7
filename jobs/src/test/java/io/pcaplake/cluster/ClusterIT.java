package io.pcaplake.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pcaplake.TestSpark;
import io.pcaplake.hadoop.MiniDfs;
import io.pcaplake.http.Secrets;
import io.pcaplake.spark.flows.FlowsJob;
import io.pcaplake.spark.flows.FlowsOptions;
import io.pcaplake.spark.flows.TableSchemas;
import io.pcaplake.synth.BulkCapture;
import io.pcaplake.synth.CaptureFiles;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.HttpTraffic;
import io.pcaplake.synth.SampleCapture;
import io.pcaplake.synth.TcpConversation;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pcaplake ingest} on a real Spark standalone cluster (issue 5): a Master and two Workers, each its own JVM on
 * loopback, started from a Spark "distribution" that holds Spark's jars and nothing of pcaplake; the shaded app jar
 * submitted through {@code SparkSubmit} (client mode, driver in a child JVM) reads captures from a real HDFS
 * (MiniDFSCluster in this JVM, 256 KiB blocks, splits of 300,000 bytes that cross block boundaries). Its
 * {@code flows}, {@code http} and {@code anomalies} tables must equal, row for row and column for column, those of
 * a local-mode run of {@link FlowsJob} on the same HDFS files (one split per file); the sample's revoked token must
 * have its 401s; and both executors, one per Worker, must have run tasks with the app jar fetched from the driver.
 *
 * <p>The submission goes through the documented {@code scripts/submit-standalone.sh} (split size, executor memory
 * and cores from its environment variables; the test's extra settings through its properties file), whose
 * {@code $SPARK_HOME/bin/spark-submit} is the distribution's.
 *
 * <p>Runs in {@code mvn verify} (failsafe, integration-test phase: after {@code package} has built the shaded jar
 * and {@code target/classpath.txt}). Cost here: {@code mvn -o -pl jobs -am verify -Dit.test=ClusterIT} (build
 * included) used 114 s of CPU (user+sys, child JVMs included); wall 4.5-5.3 min for the test on the 2-core machine
 * at a load average of 15-27 from other builds (the printed line splits it by phase).
 */
class ClusterIT {
  static final long BLOCK = 256 * 1024;
  static final long SPLIT = 300_000;
  static final long START_NS = 1_710_230_400_000_000_000L;   // 2024-03-12T08:00:00Z
  /**
   * What pcaplake's classes need beyond a Spark distribution, by class-name prefix: these jars must be inside the
   * app jar, and the fake Spark home must not have them. (classpath.txt minus spark-sql_2.13 4.2.0's dependency
   * closure is exactly the jars holding these.) A new dependency Spark does not ship goes here and into the shade
   * whitelist in jobs/pom.xml.
   */
  static final List<String> APP_PACKAGES =
      List.of("io/pcaplake/", "org/pcap4j/", "com/sun/jna/", "picocli/", "org/brotli/");
  static final byte[] PLAIN = "hello brotli body, hello brotli body, hello brotli body\n"
      .getBytes(StandardCharsets.US_ASCII);
  /** {@code brotli -c} (Debian brotli 1.0.9) of PLAIN (the same bytes as formats' HttpDecodeLimitsTest). */
  static final byte[] BROTLI = HexFormat.of().parseHex(
      "a1b801c02fbac3bfe79abff74a518c919e4a91aa42846a1729c4ea3808e53b9a01");
  static final List<String> TABLES = List.of("flows", "http", "anomalies");

  @TempDir static Path dir;

  @AfterAll
  static void stopHdfs() {
    MiniDfs.shutdown();
  }

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)   // a guard against hangs; see the class comment for times
  void ingestOnAStandaloneClusterEqualsALocalRun() throws Exception {
    long t0 = System.nanoTime();
    Path appJar = Path.of(property("pcaplake.app.jar"));
    assertTrue(Files.isRegularFile(appJar), "no app jar " + appJar + ": run through mvn verify (package builds it)");
    List<Path> sparkJars = sparkDistribution(appJar);

    try (StandaloneCluster cluster = new StandaloneCluster(Files.createDirectories(dir.resolve("cluster")), sparkJars,
        property("spark.jvm.flags"), 2)) {
      try {
        // The cluster's JVMs start while this one starts HDFS and writes the inputs.
        CompletableFuture<Void> up = CompletableFuture.runAsync(() -> {
          try {
            cluster.start(Duration.ofSeconds(120));
          } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
        CompletableFuture<SparkSession> session = CompletableFuture.supplyAsync(TestSpark::get);
        FileSystem fs = MiniDfs.fs();
        String hdfs = MiniDfs.loopbackUri();
        SampleCapture.Truth truth = writeInputs(fs, hdfs + "/caps");
        up.get(150, TimeUnit.SECONDS);
        long tUp = System.nanoTime();

        Path events = Files.createDirectories(dir.resolve("events"));
        Path script = Path.of(property("pcaplake.scripts"), "submit-standalone.sh");
        // What the test adds to the documented script's settings, as the script's properties file.
        Path conf = dir.resolve("spark-test.conf");
        Files.write(conf, List.of(
            "spark.driver.host=127.0.0.1",
            "spark.driver.bindAddress=127.0.0.1",
            "spark.ui.enabled=false",
            "spark.executor.extraJavaOptions=" + String.join(" ", StandaloneCluster.LIGHT_JVM),
            // schedule nothing until both executors are there, so both get tasks
            "spark.scheduler.minRegisteredResourcesRatio=1.0",
            "spark.scheduler.maxRegisteredResourcesWaitingTime=60s",
            "spark.eventLog.enabled=true",
            "spark.eventLog.compress=false",
            "spark.eventLog.rolling.enabled=false",
            "spark.eventLog.dir=" + events.toUri()));
        CompletableFuture<Integer> submitted = CompletableFuture.supplyAsync(() -> {
          try {
            return cluster.submit(script, Map.of("MAX_PARTITION_BYTES", String.valueOf(SPLIT),
                    "EXECUTOR_MEMORY", "512m", "EXECUTOR_CORES", "1", "TOTAL_CORES", "2",
                    "PCAPLAKE_SPARK_CONF", conf.toString(), "APP_JAR", appJar.toString()),
                List.of("ingest", hdfs + "/caps", "--lake", hdfs + "/lake-cluster", "--run-id", "cluster",
                    "--engine", "spark"),
                Duration.ofSeconds(270));
          } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
          }
        });
        // The local run, in this JVM, while the cluster works: the CPU the cluster's JVMs wait away is used. (Both
        // start now, so anomalies without a time get the same run date as their dt in both.)
        SparkSession spark = session.get(120, TimeUnit.SECONDS);
        FlowsJob.run(spark, new FlowsOptions(List.of(hdfs + "/caps"), hdfs + "/lake-local", "", null, "local",
            "local", null));
        long tLocal = System.nanoTime();
        int rc = submitted.get(300, TimeUnit.SECONDS);
        long tSubmit = System.nanoTime();
        assertEquals(0, rc, "spark-submit exit code");
        assertTrue(cluster.log("submit").contains("tcp connections:"), "the ingest summary is printed");
        // ingest's own table and bookkeeping, written through HDFS by the cluster run: one captures row per input
        // file, every file in the manifest (the commit journal and lock ran on HDFS, not a local disk).
        long inputs = fs.listStatus(new org.apache.hadoop.fs.Path(hdfs + "/caps")).length;
        assertEquals(inputs, spark.read().schema(TableSchemas.of("captures")).parquet(hdfs + "/lake-cluster/captures")
            .filter("packets > 0").count(), "captures rows with packets, one per input file");
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(hdfs + "/lake-cluster/_pcaplake/lock")),
            "the lake lock is released");

        for (String table : TABLES) {
          List<String> local = rows(spark, hdfs + "/lake-local/" + table, table);
          List<String> onCluster = rows(spark, hdfs + "/lake-cluster/" + table, table);
          assertFalse(local.isEmpty(), table + " is empty: the comparison would prove nothing");
          assertSameRows(local, onCluster, table);
        }
        sampleTruth(spark, hdfs + "/lake-cluster", truth);
        brotliOnExecutors(spark, hdfs + "/lake-cluster");
        long sampleBytes = fs.getFileStatus(new org.apache.hadoop.fs.Path(hdfs + "/caps/sample.pcapng")).getLen();
        executorsRanTasks(cluster, events, appJar, (sampleBytes + SPLIT - 1) / SPLIT);
        System.out.printf("ClusterIT: cluster up + HDFS inputs %.1f s; then, in parallel, local run %.1f s and"
                + " spark-submit %.1f s; total %.1f s%n", (tUp - t0) / 1e9, (tLocal - tUp) / 1e9,
            (tSubmit - tUp) / 1e9, (System.nanoTime() - t0) / 1e9);
      } catch (Throwable e) {
        cluster.dumpLogs(System.out);
        throw e;
      }
    }
  }

  static String property(String name) {
    String v = System.getProperty(name);
    if (v == null || v.isBlank()) {
      fail("system property " + name + " is not set: run through mvn verify (failsafe sets it)");
    }
    return v;
  }

  /**
   * Spark's runtime jars: target/classpath.txt (compile + provided) minus the jars of {@link #APP_PACKAGES}, each
   * of which must be entirely inside the app jar (else executors on a real cluster miss its classes).
   */
  static List<Path> sparkDistribution(Path appJar) throws IOException {
    String cp = Files.readString(Path.of(property("pcaplake.classpath.file"))).trim();
    Set<String> bundled = new HashSet<>();
    try (JarFile app = new JarFile(appJar.toFile())) {
      app.stream().map(ZipEntry::getName).forEach(bundled::add);
    }
    List<Path> spark = new ArrayList<>();
    List<String> ownJars = new ArrayList<>();
    for (String entry : cp.split(":")) {
      Path jar = Path.of(entry);
      List<String> classes = classes(jar);
      if (classes.stream().noneMatch(c -> APP_PACKAGES.stream().anyMatch(c::startsWith))) {
        spark.add(jar);
        continue;
      }
      ownJars.add(jar.getFileName().toString());
      List<String> missing = classes.stream().filter(c -> !bundled.contains(c)).limit(3).toList();
      assertTrue(missing.isEmpty(), jar.getFileName() + " is needed but not in the app jar, e.g. " + missing);
    }
    assertTrue(ownJars.stream().anyMatch(j -> j.startsWith("pcaplake-formats")), "formats found: " + ownJars);
    assertTrue(ownJars.stream().anyMatch(j -> j.startsWith("dec-")), "brotli found: " + ownJars);
    assertTrue(spark.stream().anyMatch(j -> j.getFileName().toString().startsWith("spark-core_")), "Spark found");
    return spark;
  }

  private static List<String> classes(Path jar) throws IOException {
    if (Files.isDirectory(jar)) {
      try (Stream<Path> s = Files.walk(jar)) {
        return s.filter(p -> p.toString().endsWith(".class")).map(p -> jar.relativize(p).toString()).toList();
      }
    }
    try (JarFile j = new JarFile(jar.toFile())) {
      return j.stream().map(ZipEntry::getName)
          .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class"))
          .toList();
    }
  }

  /**
   * The inputs, each written with 256 KiB blocks: the README's sample (pcapng, about 10 blocks), a mixed bulk
   * capture (classic pcap, VLAN/IPv6), an older rotated file gzip-compressed (read whole), HTTP with br and gzip
   * bodies (nanosecond pcap), and a pcap cut inside its last record (an anomaly).
   */
  static SampleCapture.Truth writeInputs(FileSystem fs, String caps) throws IOException {
    Path local = Files.createDirectories(dir.resolve("inputs"));
    SampleCapture.Generated sample = SampleCapture.generate(SampleCapture.Options.defaults());
    CaptureFiles.write(local.resolve("sample.pcapng"), Format.PCAPNG, sample.packets());
    BulkCapture.write(local.resolve("bulk.pcap"), BulkCapture.Options.of(1_000_000, true));
    Path older = local.resolve("older.pcap");
    BulkCapture.write(older, new BulkCapture.Options(400_000, 40, false, 7, START_NS - 3_600_000_000_000L));
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(local.resolve("older.pcap.gz")))) {
      Files.copy(older, out);
    }
    Files.delete(older);
    CaptureFiles.write(local.resolve("encodings.pcap"), Format.PCAP_NS, TcpConversation
        .between(InetAddress.getByName("10.7.7.7"), 40100, InetAddress.getByName("10.0.0.20"), 80)
        .start(START_NS).open().handshake()
        .clientSends(HttpTraffic.request("GET", "/br", "api.example",
            List.of(HttpTraffic.header("Accept-Encoding", "br")), null))
        .serverSends(HttpTraffic.response(200, "OK", List.of(HttpTraffic.header("Content-Encoding", "br")), BROTLI))
        .clientSends(HttpTraffic.request("GET", "/gz", "api.example",
            List.of(HttpTraffic.header("Accept-Encoding", "gzip")), null))
        .serverSends(HttpTraffic.gzipResponse(200, "OK", List.of(), PLAIN, 16))
        .fin().packets());
    Path cut = local.resolve("cut.pcap");
    BulkCapture.write(cut, new BulkCapture.Options(200_000, 10, false, 9, START_NS + 60_000_000_000L));
    byte[] b = Files.readAllBytes(cut);
    Files.write(cut, java.util.Arrays.copyOf(b, b.length - 7));

    try (Stream<Path> files = Files.list(local)) {
      for (Path f : files.sorted().toList()) {
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(caps + "/" + f.getFileName());
        try (FSDataOutputStream out = fs.create(target, true, 65536, (short) 1, BLOCK)) {
          Files.copy(f, out);
        }
      }
    }
    org.apache.hadoop.fs.Path sampleOnHdfs = new org.apache.hadoop.fs.Path(caps + "/sample.pcapng");
    int blocks = fs.getFileBlockLocations(fs.getFileStatus(sampleOnHdfs), 0, Long.MAX_VALUE).length;
    assertTrue(blocks >= 8, "the sample spans blocks: " + blocks);
    return sample.truth();
  }

  /** Every row of the table as one line (every column cast to text by Spark SQL, null as \N), sorted. */
  static List<String> rows(SparkSession spark, String path, String table) {
    // The contract's schema: an empty table has no files to infer one from.
    Dataset<Row> df = spark.read().schema(TableSchemas.of(table)).parquet(path);
    List<Column> cols = new ArrayList<>();
    for (StructField f : df.schema().fields()) {
      cols.add(functions.coalesce(functions.col(f.name()).cast("string"), functions.lit("\\N")));
    }
    List<String> rows = new ArrayList<>();
    for (Row r : df.select(functions.concat_ws("\t", cols.toArray(Column[]::new))).collectAsList()) {
      rows.add(r.getString(0));
    }
    Collections.sort(rows);
    return rows;
  }

  /** Multiset equality; on failure, the first rows only one side has. */
  static void assertSameRows(List<String> expected, List<String> actual, String table) {
    if (expected.equals(actual)) {
      return;
    }
    List<String> onlyExpected = new ArrayList<>(expected);
    actual.forEach(onlyExpected::remove);
    List<String> onlyActual = new ArrayList<>(actual);
    expected.forEach(onlyActual::remove);
    fail(table + ": local " + expected.size() + " rows, cluster " + actual.size() + "; only local: "
        + onlyExpected.subList(0, Math.min(3, onlyExpected.size())) + "; only cluster: "
        + onlyActual.subList(0, Math.min(3, onlyActual.size())));
  }

  /** The README's question on the cluster's http table: the revoked token and its 401 count. */
  static void sampleTruth(SparkSession spark, String lake, SampleCapture.Truth truth) {
    spark.read().schema(TableSchemas.of("http")).parquet(lake + "/http").createOrReplaceTempView("cluster_http");
    List<Row> unauthorized = spark.sql("SELECT auth_token_fp, count(*) FROM cluster_http WHERE status_code = 401"
        + " GROUP BY auth_token_fp").collectAsList();
    assertEquals(1, unauthorized.size(), unauthorized.toString());
    assertEquals(new Secrets(null).fingerprint(truth.revokedToken()), unauthorized.get(0).getString(0));
    assertEquals((long) truth.unauthorized(), unauthorized.get(0).getLong(1));
    long sampleExchanges = spark.sql("SELECT count(*) FROM cluster_http WHERE capture_file LIKE '%/sample.pcapng'")
        .first().getLong(0);
    assertEquals(truth.requests(), sampleExchanges);
  }

  /** The br body was decoded on an executor (org.brotli comes from the app jar there) and so was the gzip one. */
  static void brotliOnExecutors(SparkSession spark, String lake) throws Exception {
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(PLAIN));
    List<Row> r = spark.read().schema(TableSchemas.of("http")).parquet(lake + "/http")
        .where("capture_file LIKE '%/encodings.pcap'").orderBy("exchange_index")
        .select("path", "content_encoding", "response_body_bytes", "response_body_sha256").collectAsList();
    assertEquals(2, r.size(), r.toString());
    assertEquals("/br", r.get(0).getString(0));
    assertEquals("br", r.get(0).getString(1));
    for (Row x : r) {
      assertEquals(PLAIN.length, x.getLong(2), x.toString());
      assertEquals(sha, x.getString(3), x.toString());
    }
  }

  /**
   * From the event log: successful tasks per executor; from the Workers' work dirs: which Worker ran which
   * executor, and that each executor fetched the app jar. Every Worker's executors ran tasks; the driver ran none.
   */
  static void executorsRanTasks(StandaloneCluster cluster, Path events, Path appJar, long sampleSplits)
      throws IOException {
    List<Path> logs;
    try (Stream<Path> s = Files.list(events)) {
      logs = s.toList();
    }
    assertEquals(1, logs.size(), "one event log: " + logs);
    assertFalse(logs.get(0).getFileName().toString().endsWith(".inprogress"), "the application finished");
    ObjectMapper json = new ObjectMapper();
    Map<String, Integer> tasks = new TreeMap<>();
    String appId = null;
    int widestStage = 0;
    for (String line : Files.readAllLines(logs.get(0), StandardCharsets.UTF_8)) {
      JsonNode e = json.readTree(line);
      String type = e.path("Event").asText();
      if (type.equals("SparkListenerApplicationStart")) {
        appId = e.path("App ID").asText();
      } else if (type.equals("SparkListenerStageSubmitted")) {
        widestStage = Math.max(widestStage, e.path("Stage Info").path("Number of Tasks").asInt());
      } else if (type.equals("SparkListenerTaskEnd")
          && e.path("Task End Reason").path("Reason").asText().equals("Success")) {
        tasks.merge(e.path("Task Info").path("Executor ID").asText(), 1, Integer::sum);
      }
    }
    assertTrue(appId != null && appId.startsWith("app-"), "standalone application id: " + appId);
    assertFalse(tasks.containsKey("driver"), "tasks ran in the driver: " + tasks);
    // MAX_PARTITION_BYTES of the script reached the pcap source: the sample alone is that many read tasks.
    assertTrue(widestStage >= sampleSplits, "widest stage " + widestStage + " tasks, sample splits " + sampleSplits);
    Map<String, Integer> perWorker = new TreeMap<>();
    for (Path work : cluster.workDirs()) {
      Path app = work.resolve(appId);
      List<Path> executors;
      try (Stream<Path> s = Files.list(app)) {
        executors = s.toList();
      }
      int n = 0;
      for (Path executor : executors) {
        assertTrue(Files.isRegularFile(executor.resolve(appJar.getFileName())),
            "executor " + executor + " fetched the app jar");
        n += tasks.getOrDefault(executor.getFileName().toString(), 0);
      }
      perWorker.put(work.getFileName().toString(), n);
    }
    System.out.println("ClusterIT: successful tasks per executor " + tasks + ", per worker " + perWorker);
    assertEquals(2, perWorker.size());
    perWorker.forEach((w, n) -> assertTrue(n > 0, w + " ran no task: " + perWorker + ", executors " + tasks));
  }
}
