package io.pcaplake.cli;

import io.pcaplake.spark.sql.LakeViews;
import io.pcaplake.spark.sql.SqlScript;
import io.pcaplake.spark.sql.Values;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code pcaplake sql --lake DIR [QUERY]}: registers every table folder of the lake as a temporary view
 * ({@link LakeViews}) and runs the statement(s) with Spark SQL, printing each result as an aligned text table, CSV,
 * JSON lines, or writing it as Parquet. Without QUERY the statements come from stdin ({@code ;}-separated,
 * {@code --} comments allowed). A failing statement stops the run: its error on one line, exit 1.
 */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = "Run Spark SQL on a lake: every table folder (flows, http, anomalies, ...) is a view."
        + " Without QUERY: ';'-separated statements from stdin.")
final class SqlCommand implements Callable<Integer> {

  /** Output formats. */
  enum Format { table, csv, json, parquet }

  @ParentCommand Main main;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--lake", required = true, paramLabel = "DIR", description = "The lake (any Hadoop FS).")
  String lake;

  @Parameters(index = "0", arity = "0..1", paramLabel = "QUERY",
      description = "SQL statement(s), ';'-separated; omit to read them from stdin.")
  String query;

  @Option(names = "--format", defaultValue = "table", paramLabel = "FMT",
      description = "table (default), csv (RFC 4180, header line), json (one object per line), parquet (needs --out).")
  Format format;

  @Option(names = "--out", paramLabel = "DIR",
      description = "With --format parquet: the output directory (overwritten; DIR/1, DIR/2 ... for several statements).")
  String out;

  @Option(names = "--max-rows", defaultValue = "1000", paramLabel = "N",
      description = "Most rows printed per result with --format table (default: ${DEFAULT-VALUE}); csv and json print all.")
  int maxRows;

  /** What to run and how to print it. */
  record Request(String lake, List<String> statements, Format format, String out, int maxRows) { }

  @Override
  public Integer call() throws IOException {
    if ((format == Format.parquet) != (out != null)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          format == Format.parquet ? "--format parquet needs --out DIR" : "--out is only for --format parquet");
    }
    if (maxRows < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--max-rows must be at least 1");
    }
    String script = query != null ? query : read(System.in);
    List<String> statements = SqlScript.statements(script);
    if (statements.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          query != null ? "no SQL statement in QUERY" : "no SQL statement on stdin");
    }
    quietTaskFailures();
    SparkSession spark = main.session("sql");
    spark.conf().set("spark.sql.session.timeZone", "UTC"); // date_trunc, hour buckets and literals in UTC
    try {
      return run(spark, new Request(lake, statements, format, out, maxRows), System.out, System.err);
    } finally {
      spark.stop();
    }
  }

  /**
   * A failing query is reported on one line by the command; Spark's executor and scheduler would also log the task
   * failure with its stack trace on stderr. Silences those two loggers unless {@code PCAPLAKE_DEBUG} is set.
   */
  static void quietTaskFailures() {
    if (System.getenv("PCAPLAKE_DEBUG") == null) {
      for (String logger : new String[] {"org.apache.spark.executor.Executor",
          "org.apache.spark.scheduler.TaskSetManager"}) {
        org.apache.logging.log4j.core.config.Configurator.setLevel(logger, org.apache.logging.log4j.Level.OFF);
      }
    }
  }

  static String read(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** Registers the lake and runs the statements in order; 0 when all ran, 1 at the first that failed. */
  static int run(SparkSession spark, Request r, PrintStream out, PrintStream err) throws IOException {
    Map<String, String> views;
    try {
      views = LakeViews.register(spark, r.lake());
    } catch (IllegalArgumentException e) {
      err.println("pcaplake sql: " + e.getMessage());
      return 1;
    }
    List<String> statements = r.statements();
    boolean printed = false;
    for (int i = 0; i < statements.size(); i++) {
      try {
        Dataset<Row> df = spark.sql(statements.get(i));
        printed |= print(df, r, statements.size() == 1 ? null : String.valueOf(i + 1), printed, out);
      } catch (Exception e) {
        String where = statements.size() == 1 ? "" : "statement " + (i + 1) + ": ";
        err.println("pcaplake sql: " + where + oneLine(e) + hint(e, views));
        if (System.getenv("PCAPLAKE_DEBUG") != null) {
          e.printStackTrace(err);
        }
        return 1;
      }
    }
    out.flush();
    return 0;
  }

  /** Prints (or writes) one result; false for a command without result columns, which prints nothing. */
  private static boolean print(Dataset<Row> df, Request r, String part, boolean after, PrintStream out) {
    String[] names = df.schema().fieldNames();
    if (names.length == 0) {
      df.collectAsList(); // a command (CREATE VIEW ...) with no result columns: run it, print nothing
      return false;
    }
    switch (r.format()) {
      case table -> {
        if (after) {
          out.println();
        }
        List<Row> rows = df.takeAsList(r.maxRows() + 1);
        boolean more = rows.size() > r.maxRows();
        TextTable.print(names, more ? rows.subList(0, r.maxRows()) : rows, out, "");
        if (more) {
          out.println("(more rows not shown: --max-rows " + r.maxRows() + "; --format csv or json prints all)");
        }
      }
      case csv -> {
        if (after) {
          out.print("\r\n");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
          sb.append(i == 0 ? "" : ",").append(Values.csv(names[i]));
        }
        out.print(sb.append("\r\n"));
        for (Iterator<Row> it = df.toLocalIterator(); it.hasNext(); ) {
          Row row = it.next();
          sb.setLength(0);
          for (int i = 0; i < names.length; i++) {
            sb.append(i == 0 ? "" : ",").append(Values.csv(row.get(i)));
          }
          out.print(sb.append("\r\n"));
        }
      }
      case json -> {
        for (Iterator<Row> it = df.toLocalIterator(); it.hasNext(); ) {
          out.println(Values.jsonObject(names, it.next()));
        }
      }
      case parquet -> {
        String dir = part == null ? r.out() : r.out() + "/" + part;
        df.write().mode("overwrite").parquet(dir);
        out.println("wrote " + dir);
      }
      default -> throw new IllegalStateException(r.format().name());
    }
    return true;
  }

  /** The first line of the deepest useful message (Spark appends the plan or the SQL on further lines). */
  static String oneLine(Throwable e) {
    Throwable t = e;
    while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.toString() : t.getMessage().strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).strip();
  }

  private static String hint(Exception e, Map<String, String> views) {
    String m = String.valueOf(e.getMessage());
    return m.contains("TABLE_OR_VIEW_NOT_FOUND") ? " (tables of this lake: " + LakeViews.describe(views) + ")" : "";
  }
}
