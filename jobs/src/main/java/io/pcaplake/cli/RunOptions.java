package io.pcaplake.cli;

import picocli.CommandLine.Option;

/**
 * The options of a reassembly run that {@code flows} and {@code ingest} share, declared once ({@code docs/cli.md}):
 * {@code --filter}, {@code --split-size}, {@code --run-id}, {@code --keep-secrets}, {@code --extract-bodies}.
 */
final class RunOptions {

  @Option(names = "--filter", paramLabel = "EXPR",
      description = "Capture filter, tcpdump syntax; keeps whole connections (docs/filter.md).")
  String filter;

  @Option(names = "--split-size", paramLabel = "BYTES", converter = PacketsCommand.ByteSize.class,
      description = "Split size (e.g. 65536, 64k, 128m); default spark.sql.files.maxPartitionBytes.")
  Long splitSize;

  @Option(names = "--run-id", paramLabel = "ID", description = "Run id (report directory; default: start time, UTC).")
  String runId;

  @Option(names = "--keep-secrets",
      description = "Store raw credentials (Authorization, Cookie, ...) instead of fp:<hex> fingerprints.")
  boolean keepSecrets;

  @Option(names = "--extract-bodies", paramLabel = "DIR",
      description = "Write every decoded HTTP request/response body to DIR (any Hadoop FS) as"
          + " <flow_id>-HTTPBODY-NNN.<ext> (requests: -HTTPREQBODY-); names never come from the capture; runs on"
          + " Spark.")
  String extractBodies;

  /** False (after printing the error on stderr) when {@code --filter} is given and does not parse. */
  boolean filterOk(String command) {
    return filter == null || FilterArgument.parse(command, "--filter", filter) != null;
  }
}
