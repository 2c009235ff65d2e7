package io.pcaplake.spark.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * What one run of the report command does.
 *
 * @param lake the lake directory (any Hadoop FS): reads {@code http/}, {@code flows/}, {@code anomalies/},
 *     {@code captures/} and {@code reports/<run>/report.xml}, writes {@code reports/dt=<date>/}
 * @param dates the days to report (UTC); empty with {@code catchUp} false means yesterday
 * @param catchUp also report every day that has data but no report, or a report older than its data, and yesterday
 * @param now the run's time: "yesterday" and the page's "generated at"
 * @param commandLine written to the day's report.xml {@code <command_line>}
 */
public record ReportOptions(String lake, List<LocalDate> dates, boolean catchUp, Instant now, String commandLine) {
  public ReportOptions {
    Objects.requireNonNull(lake, "lake");
    dates = dates == null ? List.of() : List.copyOf(dates);
    now = now == null ? Instant.now() : now;
    commandLine = commandLine == null ? "" : commandLine;
  }

  /** One day. */
  public static ReportOptions day(String lake, LocalDate date) {
    return new ReportOptions(lake, List.of(date), false, null, "");
  }

  /** The UTC day before {@link #now}. */
  public LocalDate yesterday() {
    return now.atOffset(ZoneOffset.UTC).toLocalDate().minusDays(1);
  }
}
