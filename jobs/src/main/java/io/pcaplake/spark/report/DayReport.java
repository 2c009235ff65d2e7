package io.pcaplake.spark.report;

import java.time.LocalDate;

/**
 * What the report of one day holds (printed by the CLI).
 *
 * @param date the day (UTC)
 * @param dir its directory, {@code <lake>/reports/dt=<date>}
 * @param requests HTTP exchanges of the day
 * @param connections TCP connections of the day
 * @param anomalies anomaly rows of the day
 * @param coverageSource {@code captures} when capture coverage came from the captures table, else {@code flows}
 */
public record DayReport(LocalDate date, String dir, long requests, long connections, long anomalies,
                        String coverageSource) {
  /** No connection, request or anomaly that day: the page says so. */
  public boolean empty() {
    return requests == 0 && connections == 0 && anomalies == 0;
  }
}
