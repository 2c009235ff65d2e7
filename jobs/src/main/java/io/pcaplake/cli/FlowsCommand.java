package io.pcaplake.cli;

import io.pcaplake.spark.flows.FlowsJob;
import io.pcaplake.spark.flows.FlowsOptions;
import io.pcaplake.spark.flows.FlowsSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code pcaplake flows INPUT... --out DIR}: TCP reassembly and HTTP parsing of the captures into the {@code flows},
 * {@code http} and {@code anomalies} tables and {@code reports/<run>/report.xml} ({@code docs/flows.md}).
 */
@Command(name = "flows", mixinStandardHelpOptions = true,
    description = "Reassemble TCP connections and parse HTTP: flows, http and anomalies tables (Parquet, by dt) and a"
        + " tcpflow report.xml.")
final class FlowsCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Capture files, directories or globs (any Hadoop FS).")
  List<String> inputs;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Output directory: flows/, anomalies/ (overwritten) and reports/<run>/report.xml.")
  String out;

  @CommandLine.Mixin
  RunOptions runOptions;

  @CommandLine.Mixin
  KeyOptions keyOptions;

  @Override
  public Integer call() throws IOException {
    if (!runOptions.filterOk("flows")) {
      return 2;
    }
    String commandLine = commandLine(spec.root().commandLine().getParseResult().originalArgs());
    FlowsOptions options = new FlowsOptions(inputs, out, runOptions.filter, runOptions.splitSize, runOptions.runId,
        commandLine, null, keyOptions.key(), runOptions.keepSecrets, runOptions.extractBodies);
    SparkSession spark = main.session("flows");
    try {
      run(spark, options, System.out);
      return 0;
    } finally {
      spark.stop();
    }
  }

  /**
   * The command line as a shell would take it back: arguments with spaces or quotes single-quoted; the value of
   * {@code --fingerprint-key} replaced by {@code '***'} (the command line goes into report.xml).
   */
  static String commandLine(List<String> args) {
    StringBuilder sb = new StringBuilder("pcaplake");
    boolean secret = false;
    for (String a : args) {
      sb.append(' ');
      if (secret) {
        sb.append("'***'");
        secret = false;
        continue;
      }
      if (a.equals(KeyOptions.KEY)) {
        secret = true;
      } else if (a.startsWith(KeyOptions.KEY + "=")) {
        a = KeyOptions.KEY + "=***";
      }
      if (!a.isEmpty() && a.matches("[A-Za-z0-9_./:=@%+,-]+")) {
        sb.append(a);
      } else {
        sb.append('\'').append(a.replace("'", "'\\''")).append('\'');
      }
    }
    return sb.toString();
  }

  static FlowsSummary run(SparkSession spark, FlowsOptions options, PrintStream out) throws IOException {
    FlowsSummary summary = FlowsJob.run(spark, options);
    summary.print(out);
    return summary;
  }
}
