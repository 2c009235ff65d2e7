package io.pcaplake.spark.sql;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A notebook executed on a lake: its parameter values and, per cell, the prose, the bound SQL and the result (at
 * most {@code maxRows} rows kept). Run with {@link #execute}; render with {@link NotebookReport}.
 */
public record NotebookRun(Notebook notebook, String lake, Map<String, String> values, List<CellResult> cells) {
  public NotebookRun {
    values = Map.copyOf(values);
    cells = List.copyOf(cells);
  }

  /**
   * One cell's outcome.
   *
   * @param sql the statement as run (parameters bound), null for a prose-only cell
   * @param columns result column names (empty for a command or a prose cell)
   * @param rows the first rows of the result
   * @param truncated whether the result had more than the rows kept
   */
  public record CellResult(List<String> prose, String sql, List<String> columns, List<Row> rows, boolean truncated) {
    public CellResult {
      prose = List.copyOf(prose);
      columns = List.copyOf(columns);
      rows = List.copyOf(rows);
    }
  }

  /**
   * Registers the lake's views and runs every statement in order.
   *
   * @throws Notebook.ParamException for a bad parameter (before anything runs)
   * @throws NotebookException when a statement fails, with its line in the notebook
   */
  public static NotebookRun execute(SparkSession spark, Notebook nb, String lake, Map<String, String> given,
                                    int maxRows) throws java.io.IOException {
    Map<String, String> values = nb.values(given);
    LakeViews.register(spark, lake);
    List<CellResult> out = new java.util.ArrayList<>();
    for (SqlScript.Cell c : nb.cells()) {
      if (c.sql() == null) {
        out.add(new CellResult(c.prose(), null, List.of(), List.of(), false));
        continue;
      }
      String sql = nb.bind(c.sql(), values);
      try {
        Dataset<Row> df = spark.sql(sql);
        String[] names = df.schema().fieldNames();
        List<Row> rows = names.length == 0 ? List.of() : df.takeAsList(maxRows + 1);
        if (names.length == 0) {
          df.collectAsList();
        }
        boolean more = rows.size() > maxRows;
        out.add(new CellResult(c.prose(), sql, List.of(names), more ? rows.subList(0, maxRows) : rows, more));
      } catch (Exception e) { // Spark's AnalysisException is a checked exception thrown undeclared
        throw new NotebookException(nb.name() + ": statement at line " + c.line() + ": " + firstLine(e), e);
      }
    }
    return new NotebookRun(nb, lake, values, out);
  }

  /** A statement of a notebook failed. */
  public static final class NotebookException extends RuntimeException {
    NotebookException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static String firstLine(Throwable e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage().strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).strip();
  }
}
