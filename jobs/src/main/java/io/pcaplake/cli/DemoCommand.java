package io.pcaplake.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pcaplake demo}: writes the sample capture (once) and summarizes it with {@code packets}. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Generate ./pcaplake-demo/sample.pcapng if absent and run 'packets' on it.")
final class DemoCommand implements Callable<Integer> {
  static final String SAMPLE = "sample.pcapng";

  @picocli.CommandLine.ParentCommand Main main;

  @Option(names = "--dir", defaultValue = "pcaplake-demo", description = "Demo directory (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Override
  public Integer call() throws IOException {
    SparkSession spark = main.session("demo");
    try {
      run(spark, dir, System.out);
      return 0;
    } finally {
      spark.stop();
    }
  }

  static PacketsSummary run(SparkSession spark, Path dir, PrintStream out) throws IOException {
    Path sample = dir.resolve(SAMPLE);
    if (Files.isRegularFile(sample)) {
      out.println("using " + sample + " (delete it to regenerate)");
    } else {
      SampleCommand.run(sample, SampleCommand.SampleFormat.pcapng, out);
    }
    out.println();
    return PacketsCommand.run(spark, new PacketsCommand.Options(List.of(sample.toAbsolutePath().toString()), null,
        SummaryPrinter.Format.table), out);
  }
}
