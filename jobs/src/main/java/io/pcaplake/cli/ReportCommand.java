package io.pcaplake.cli;

import io.pcaplake.spark.report.DayReport;
import io.pcaplake.spark.report.ReportJob;
import io.pcaplake.spark.report.ReportOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code pcaplake report --lake DIR [--date YYYY-MM-DD]... [--catch-up]}: the daily report of a lake,
 * {@code DIR/reports/dt=<date>/} with report.html, the summary tables and report.xml ({@code docs/nightly.md}).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Daily report of a lake: reports/dt=DATE/{report.html, tables/, report.xml}.")
final class ReportCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--lake", required = true, paramLabel = "DIR", description = "The lake directory (any Hadoop FS).")
  String lake;

  @Option(names = "--date", paramLabel = "YYYY-MM-DD", converter = DateConverter.class,
      description = "Day to report (UTC; repeatable). Default: yesterday, UTC.")
  List<LocalDate> dates;

  @Option(names = "--catch-up",
      description = "Also report every day with data and no report (or a report older than its data), and"
          + " yesterday.")
  boolean catchUp;

  static final class DateConverter implements CommandLine.ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
      try {
        return LocalDate.parse(value);
      } catch (java.time.format.DateTimeParseException e) {
        throw new CommandLine.TypeConversionException("not a date (YYYY-MM-DD): '" + value + "'");
      }
    }
  }

  @Override
  public Integer call() throws IOException {
    String commandLine = FlowsCommand.commandLine(spec.root().commandLine().getParseResult().originalArgs());
    ReportOptions options = new ReportOptions(lake, dates, catchUp, Instant.now(), commandLine);
    SparkSession spark = main.session("report");
    try {
      run(spark, options, System.out);
      return 0;
    } finally {
      spark.stop();
    }
  }

  static List<DayReport> run(SparkSession spark, ReportOptions options, PrintStream out) throws IOException {
    List<DayReport> done = ReportJob.run(spark, options);
    for (DayReport d : done) {
      out.printf("%s  %s/report.html  %s%n", d.date(), d.dir(), d.empty() ? "no data"
          : d.requests() + " requests, " + d.connections() + " connections, " + d.anomalies() + " anomalies"
          + (d.coverageSource().equals("flows") ? ", coverage from flows" : ""));
    }
    return done;
  }
}
