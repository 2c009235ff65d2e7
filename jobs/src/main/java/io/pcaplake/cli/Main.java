package io.pcaplake.cli;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code pcaplake} command line. {@code main} parses arguments and exits; every subcommand keeps its work in a
 * {@code run(spark, ...)} method that tests call with their own session. Exit codes: 0 ok, 2 usage, 1 failure.
 */
@Command(name = "pcaplake", mixinStandardHelpOptions = true, version = "pcaplake 0.1.0",
    description = "Offline forensic batch analyzer for packet-capture archives.",
    subcommands = {PacketsCommand.class, IngestCommand.class, FlowsCommand.class, FlowCommand.class,
        FingerprintCommand.class, SampleCommand.class, DemoCommand.class, SqlCommand.class, NotebookCommand.class,
        ReportCommand.class})
public final class Main implements Runnable {

  @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*]).")
  String master;

  @Option(names = "--ui", description = "Enable the Spark web UI (default: off).")
  boolean ui;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code. */
  public static int execute(String... args) {
    CommandLine cl;
    if (args.length > 0 && args[0].equals("flow")) {
      // The local engine's quick look: built on its own, so that no Spark class is loaded (picocli reflects on every
      // registered subcommand; the others refer to Spark). scripts/pcaplake runs it with a classpath without Spark.
      cl = new CommandLine(new FlowCommand()).setCommandName("pcaplake flow");
      args = java.util.Arrays.copyOfRange(args, 1, args.length);
    } else {
      cl = new CommandLine(new Main());
    }
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      err.println("pcaplake: " + message(e));
      if (System.getenv("PCAPLAKE_DEBUG") != null) {
        e.printStackTrace(err);
      }
      return 1;
    });
    return cl.execute(args);
  }

  private static String message(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && (t.getMessage() == null || t instanceof java.util.concurrent.ExecutionException)) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing subcommand (packets, ingest, flows, flow, fingerprint, sample, demo, sql, notebook, report)");
  }

  SparkSession session(String command) {
    return Sessions.create("pcaplake " + command, master, ui);
  }
}
