package io.pcaplake.spark.report;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The figures of one day, as the {@link ReportQueries} returned them (the same rows go to {@code tables/} and to
 * the page).
 *
 * @param date the day
 * @param lake the lake directory (shown on the page)
 * @param generated when the report was made
 * @param fromCaptures capture coverage came from the {@code captures} table (else derived from {@code flows})
 * @param tables query name to its result
 */
record ReportFigures(LocalDate date, String lake, Instant generated, boolean fromCaptures, Map<String, Table> tables) {

  /** One query's result. */
  record Table(StructType schema, List<Row> rows) {
    Table {
      rows = List.copyOf(rows);
    }
  }

  List<Row> rows(String table) {
    Table t = tables.get(table);
    if (t == null) {
      throw new IllegalArgumentException("no figure " + table);
    }
    return t.rows();
  }

  /** A column of the one-row {@code totals} table, as a long (0 when null). */
  long total(String column) {
    Object v = rows("totals").get(0).getAs(column);
    return v == null ? 0 : ((Number) v).longValue();
  }

  /** Nothing happened that day as far as the lake knows. */
  boolean empty() {
    return total("requests") == 0 && total("connections") == 0 && total("anomalies") == 0;
  }

  /** A timestamp value as ISO-8601 UTC text, or the empty string. */
  static String time(Object ts) {
    if (ts instanceof Timestamp t) {
      return t.toInstant().toString();
    }
    if (ts instanceof Instant i) {
      return i.toString();
    }
    return ts == null ? "" : ts.toString();
  }
}
