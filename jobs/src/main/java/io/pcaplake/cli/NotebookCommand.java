package io.pcaplake.cli;

import io.pcaplake.spark.sql.Notebook;
import io.pcaplake.spark.sql.NotebookReport;
import io.pcaplake.spark.sql.NotebookRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code pcaplake notebook run FILE --lake DIR}: executes a SQL notebook ({@link Notebook}) into markdown or HTML. */
@Command(name = "notebook", mixinStandardHelpOptions = true, subcommands = NotebookCommand.Run.class,
    description = "SQL notebooks (notebooks/*.sql): plain SQL with markdown in -- comments and -- @param parameters.")
final class NotebookCommand implements Runnable {
  @ParentCommand Main main;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (run)");
  }

  /** Output formats. */
  enum Format { md, html }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Run a notebook on a lake; write its prose, statements and results as markdown or HTML.")
  static final class Run implements Callable<Integer> {
    @ParentCommand NotebookCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The notebook (.sql).")
    Path file;

    @Option(names = "--lake", required = true, paramLabel = "DIR", description = "The lake (any Hadoop FS).")
    String lake;

    @Option(names = "--param", paramLabel = "NAME=VALUE",
        description = "A parameter value (repeatable); undeclared names and values not of the declared type are"
            + " usage errors.")
    List<String> params = List.of();

    @Option(names = "--format", defaultValue = "md", paramLabel = "FMT", description = "md (default) or html.")
    Format format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of stdout.")
    Path out;

    @Option(names = "--max-rows", defaultValue = "200", paramLabel = "N",
        description = "Most rows shown per result (default: ${DEFAULT-VALUE}).")
    int maxRows;

    @Override
    public Integer call() throws IOException {
      Map<String, String> given = new LinkedHashMap<>();
      for (String p : params) {
        int eq = p.indexOf('=');
        if (eq <= 0) {
          throw new CommandLine.ParameterException(spec.commandLine(), "--param needs NAME=VALUE, got '" + p + "'");
        }
        given.put(p.substring(0, eq), p.substring(eq + 1));
      }
      if (maxRows < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--max-rows must be at least 1");
      }
      if (!Files.isRegularFile(file)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "no notebook file " + file);
      }
      Notebook nb;
      try {
        nb = Notebook.parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        nb.values(given);
      } catch (Notebook.ParamException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      SqlCommand.quietTaskFailures();
      SparkSession spark = parent.main.session("notebook");
      spark.conf().set("spark.sql.session.timeZone", "UTC"); // date_trunc, hour buckets and literals in UTC
      try {
        return run(spark, nb, lake, given, format, maxRows, out, System.out, System.err);
      } finally {
        spark.stop();
      }
    }
  }

  /** Runs the notebook and writes the report; 0 ok, 1 when a statement failed or the lake is missing. */
  static int run(SparkSession spark, Notebook nb, String lake, Map<String, String> given, Format format, int maxRows,
                 Path out, PrintStream stdout, PrintStream err) throws IOException {
    NotebookRun run;
    try {
      run = NotebookRun.execute(spark, nb, lake, given, maxRows);
    } catch (NotebookRun.NotebookException | IllegalArgumentException e) {
      err.println("pcaplake notebook: " + e.getMessage());
      return 1;
    }
    String text = format == Format.html ? NotebookReport.html(run) : NotebookReport.markdown(run);
    if (out == null) {
      stdout.print(text);
      stdout.flush();
    } else {
      if (out.toAbsolutePath().getParent() != null) {
        Files.createDirectories(out.toAbsolutePath().getParent());
      }
      Files.writeString(out, text, StandardCharsets.UTF_8);
      stdout.println("wrote " + out);
    }
    return 0;
  }
}
