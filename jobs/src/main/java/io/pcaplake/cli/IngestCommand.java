package io.pcaplake.cli;

import io.pcaplake.spark.ingest.IngestEngine;
import io.pcaplake.spark.ingest.IngestJob;
import io.pcaplake.spark.ingest.IngestOptions;
import io.pcaplake.spark.ingest.IngestSummary;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code pcaplake ingest INPUT... --lake DIR}: new captures into the lake's tables, incrementally, idempotently and
 * atomically ({@code docs/lake.md}). Spark starts only when there is something new to read and the Spark engine
 * reads it ({@code --engine}).
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Ingest new captures into a lake: flows, http, anomalies, captures (and packets) tables, Parquet by"
        + " dt; incremental (a manifest of ingested files), atomic (staged, then committed), one writer at a time.")
final class IngestCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Capture files, directories or globs (any Hadoop FS).")
  List<String> inputs;

  @Option(names = "--lake", required = true, paramLabel = "DIR", description = "The lake's root directory.")
  String lake;

  @Option(names = "--packets",
      description = "Also write the packets table (one row per record; with --filter, of the connections kept).")
  boolean packets;

  @Option(names = "--reingest",
      description = "Read the listed files again even if already in the lake; their rows are replaced.")
  boolean reingest;

  @Option(names = "--sha256", description = "Compute captures.sha256 (reads each new file once more).")
  boolean sha256;

  @Option(names = "--wait", arity = "0..1", fallbackValue = "3600", paramLabel = "SECONDS",
      description = "If another ingest holds the lake's lock, wait for it (default with --wait: 3600 s).")
  Long waitSeconds;

  @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "auto",
      description = "spark, local (one process, no Spark) or auto (default: local when the new input is under"
          + " --local-max-bytes, the Spark master is local and --extract-bodies is not given, else spark).")
  String engine;

  @Option(names = "--local-max-bytes", paramLabel = "BYTES", converter = PacketsCommand.ByteSize.class,
      defaultValue = "1073741824", description = "--engine auto: largest new input for the local engine (default 1g).")
  Long localMaxBytes;

  @CommandLine.Mixin
  RunOptions runOptions;

  @CommandLine.Mixin
  KeyOptions keyOptions;

  @Override
  public Integer call() throws IOException {
    if (!runOptions.filterOk("ingest")) {
      return 2;
    }
    IngestEngine eng;
    try {
      eng = IngestEngine.parse(engine);
    } catch (IllegalArgumentException e) {
      System.err.println("pcaplake ingest: " + e.getMessage());
      return 2;
    }
    String commandLine = FlowsCommand.commandLine(spec.root().commandLine().getParseResult().originalArgs());
    RunOptions r = runOptions;
    IngestOptions o = new IngestOptions(inputs, lake, r.filter, r.splitSize, r.runId, commandLine, null,
        keyOptions.key(), r.keepSecrets, reingest, sha256, packets,
        waitSeconds == null ? Duration.ZERO : Duration.ofSeconds(waitSeconds), null, true, r.extractBodies);
    SparkSession[] session = new SparkSession[1];
    try {
      IngestSummary s = IngestJob.run(new Configuration(), o, () -> {
        if (session[0] == null) {
          session[0] = main.session("ingest");
        }
        return session[0];
      }, eng, localMaxBytes, main.master != null ? main.master : System.getProperty("spark.master"));
      s.print(System.out);
      return 0;
    } finally {
      if (session[0] != null) {
        session[0].stop();
      }
    }
  }
}
