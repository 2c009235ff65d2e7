package io.pcaplake.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code pcaplake packets INPUT...}: a summary of the captures under the inputs, read with the pcap data source. */
@Command(name = "packets", mixinStandardHelpOptions = true,
    description = "Summarize captures: records, decode status, protocols, top TCP conversations, problems.")
final class PacketsCommand implements Callable<Integer> {

  /** What to summarize and how to print it. */
  record Options(List<String> inputs, Long splitSize, SummaryPrinter.Format format) {
    Options {
      inputs = List.copyOf(inputs);
      if (inputs.isEmpty()) {
        throw new IllegalArgumentException("at least one input");
      }
    }
  }

  @ParentCommand Main main;

  @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Capture files, directories or globs (any Hadoop FS).")
  List<String> inputs;

  @Option(names = "--split-size", paramLabel = "BYTES", converter = ByteSize.class,
      description = "Split size (e.g. 65536, 64k, 128m); default spark.sql.files.maxPartitionBytes.")
  Long splitSize;

  @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  SummaryPrinter.Format format;

  @Override
  public Integer call() {
    SparkSession spark = main.session("packets");
    try {
      run(spark, new Options(inputs, splitSize, format), System.out);
      return 0;
    } finally {
      spark.stop();
    }
  }

  static PacketsSummary run(SparkSession spark, Options options, PrintStream out) {
    PacketsSummary summary = PacketsReport.compute(spark, options.inputs(), options.splitSize());
    SummaryPrinter.print(summary, options.format(), out);
    return summary;
  }

  /**
   * Parses "65536", "64k", "1m", "2gb" like Spark's byte-size settings ({@code JavaUtils.byteStringAsBytes}: binary
   * units b, k, m, g, t, p with an optional b, case-insensitive; a bare number is bytes), without loading Spark: that
   * class's initializer starts Spark's logging, a quarter of a CPU-second on every run of the local engine.
   */
  static final class ByteSize implements CommandLine.ITypeConverter<Long> {
    private static final Pattern SIZE = Pattern.compile("([0-9]+)([a-z]*)");
    private static final String UNITS = "bkmgtp";

    @Override
    public Long convert(String value) {
      Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
      String unit = m.matches() ? m.group(2) : null;
      int power = unit == null ? -1 : unit.isEmpty() || unit.equals("b") ? 0
          : unit.length() <= 2 && (unit.length() == 1 || unit.charAt(1) == 'b') ? UNITS.indexOf(unit.charAt(0)) : -1;
      if (power < 0) {
        throw new CommandLine.TypeConversionException("not a byte size: " + value);
      }
      long n;
      try {
        n = Math.multiplyExact(Long.parseLong(m.group(1)), 1L << (10 * power));
      } catch (ArithmeticException | NumberFormatException e) {
        throw new CommandLine.TypeConversionException("byte size too large: " + value);
      }
      if (n <= 0) {
        throw new CommandLine.TypeConversionException("must be positive: " + value);
      }
      return n;
    }
  }
}
