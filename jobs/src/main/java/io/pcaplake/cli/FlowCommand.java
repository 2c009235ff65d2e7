package io.pcaplake.cli;

import io.pcaplake.filter.CaptureFilter;
import io.pcaplake.flow.FlowTable;
import io.pcaplake.http.FastInflate;
import io.pcaplake.http.SecretsOptions;
import io.pcaplake.local.CaptureInput;
import io.pcaplake.local.HttpPrinter;
import io.pcaplake.local.LocalEngine;
import io.pcaplake.local.LocalOptions;
import io.pcaplake.local.LocalSummary;
import io.pcaplake.local.StreamPrinter;
import io.pcaplake.local.TableSink;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pcaplake flow -r FILE [-r FILE ...] [-c] [--http] [--json] [EXPR]}: the quick look at a capture with the local
 * engine ({@code docs/local.md}), no Spark: reassembled streams with tcpflow-style labels, or one block (one JSON line)
 * per HTTP exchange. Output streams as connections end.
 */
@Command(name = "flow", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Quick look at captures without Spark: each TCP connection's reassembled streams (tcpflow -c style),",
        "or with --http one block per HTTP exchange (request, response, latency, body), or --json one JSON object per",
        "exchange (the http table's columns). Captures given with several -r are merged in capture-time order."})
final class FlowCommand implements Callable<Integer> {
  @Option(names = "-r", required = true, paramLabel = "FILE",
      description = "Capture file (pcap or pcapng, optionally gzip/zstd/bzip2); '-' reads standard input. Repeatable.")
  List<String> reads;

  @Option(names = "-c", description = "Console mode, as tcpflow's -c: print to standard output (the default).")
  boolean console;

  @Option(names = "--http", description = "One block per HTTP exchange instead of the raw streams.")
  boolean http;

  @Option(names = "--json", description = "One JSON object per HTTP exchange (the http table's columns); implies --http.")
  boolean json;

  @Option(names = "--keep-secrets",
      description = "Show raw credentials (Authorization, Cookie, ...) instead of fp:<hex> fingerprints.")
  boolean keepSecrets;

  @Mixin
  KeyOptions keyOptions;

  @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "300",
      description = "End a connection after this much capture time without a packet (default: ${DEFAULT-VALUE}).")
  double idleSeconds;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
      description = "Reassembly + HTTP workers: 1 (everything on one thread), 2 or 4 (plus a read + decode thread);"
          + " default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--stats", description = "Print a one-line summary to standard error at the end.")
  boolean stats;

  @Parameters(arity = "0..*", paramLabel = "EXPR",
      description = "Capture filter, tcpdump syntax (may be several words); keeps whole connections (docs/filter.md).")
  List<String> expression;

  @Override
  public Integer call() throws IOException {
    String expr = expression == null ? "" : String.join(" ", expression);
    CaptureFilter filter = FilterArgument.parse("flow", "filter", expr);
    if (filter == null) {
      return 2;
    }
    List<CaptureInput> inputs = new ArrayList<>();
    int stdin = 0;
    for (String r : reads) {
      if (r.equals(CaptureInput.STDIN)) {
        if (stdin++ > 0) {
          System.err.println("pcaplake flow: -r - given twice (standard input can be read once)");
          return 2;
        }
        inputs.add(CaptureInput.stream(CaptureInput.STDIN, new java.io.BufferedInputStream(System.in, 1 << 16)));
      } else {
        Path p = Path.of(r);
        if (!Files.isRegularFile(p)) {
          System.err.println("pcaplake flow: " + r + ": " + (Files.exists(p) ? "not a file" : "no such file"));
          return 2;
        }
        inputs.add(CaptureInput.of(p));
      }
    }
    if ((threads != 1 && threads != 2 && threads != 4) || !(idleSeconds > 0)) {
      System.err.println("pcaplake flow: --threads must be 1, 2 or 4 and --idle-timeout positive");
      return 2;
    }
    LocalOptions o = LocalOptions.defaults().withFilter(filter).withThreads(threads)
        .withSecrets(new SecretsOptions(keyOptions.key(), keepSecrets))
        .withFlowLimits(FlowTable.Limits.DEFAULTS.withIdleNanos((long) (idleSeconds * 1e9)));
    OutputStream stdout = new BufferedOutputStream(System.out, 1 << 16);
    try {
      LocalSummary s = run(inputs, o, http || json, json, stdout);
      if (stats) {
        System.err.println(summary(s));
      }
    } catch (UncheckedIOException e) {
      if (brokenPipe(e.getCause())) {
        return 0;  // the reader went away (| head): as tcpflow, stop quietly
      }
      throw e.getCause();
    } catch (IOException e) {
      if (brokenPipe(e)) {
        return 0;
      }
      throw e;
    }
    return 0;
  }

  /** Runs the engine with the console printer of the mode, writing to {@code out} (flushed at the end). */
  static LocalSummary run(List<CaptureInput> inputs, LocalOptions o, boolean http, boolean json, OutputStream out)
      throws IOException {
    LocalSummary s;
    if (http) {
      Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      s = LocalEngine.run(inputs, o.withHttp(true), TableSink.NONE, new HttpPrinter(w, json));
      w.flush();
    } else {
      s = LocalEngine.run(inputs, o.withHttp(false).withStreams(new StreamPrinter(out, o.secrets())), TableSink.NONE);
      out.flush();
    }
    return s;
  }

  static String summary(LocalSummary s) {
    return String.format(Locale.ROOT, "pcaplake flow: %d file(s), %d records, %d TCP segments, %d connections,"
            + " %d http exchanges, %d anomalies, peak %d flows held, %.2f s; gzip bodies: %s", s.files(), s.records(),
        s.tcpSegments(), s.connections(), s.httpExchanges(), s.anomalies(), s.peakFlows(), s.elapsedNanos() / 1e9,
        FastInflate.status());
  }

  private static boolean brokenPipe(Throwable e) {
    return e instanceof IOException && e.getMessage() != null && e.getMessage().contains("Broken pipe");
  }

}
