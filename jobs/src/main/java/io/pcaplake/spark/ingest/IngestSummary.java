package io.pcaplake.spark.ingest;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an ingest run did: files by what the manifest said (new, skipped as already ingested, re-ingested,
 * unreadable), context files re-read for connections open at the end of the previous run, packets, connections
 * written (and how many of them replaced rows already in the lake), HTTP exchanges, anomalies by reason, where
 * it all went and how long it took. {@code committed} is false when there was nothing to do. {@code engine} says
 * which engine ran and why ({@code local (1.2 MiB of new input < 1 GiB)}), null when nothing ran.
 */
public record IngestSummary(String runId, String lake, int listed, List<String> newFiles, List<String> skipped,
                            List<String> reingested, List<String> unreadable, List<String> context, long bytes,
                            long packets, long connections, long replacedConnections, long httpExchanges,
                            Map<String, Long> anomalies, List<String> recovered, String reportPath,
                            boolean committed, long elapsedMillis, String engine) {
  public IngestSummary {
    newFiles = List.copyOf(newFiles);
    skipped = List.copyOf(skipped);
    reingested = List.copyOf(reingested);
    unreadable = List.copyOf(unreadable);
    context = List.copyOf(context);
    anomalies = Map.copyOf(anomalies);
    recovered = List.copyOf(recovered);
  }

  public long anomalyCount() {
    return anomalies.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The CLI's summary on stdout. */
  public void print(PrintStream out) {
    out.printf("run:              %s%n", runId);
    if (!recovered.isEmpty()) {
      out.printf("recovered:        %s (an interrupted commit, finished first)%n", String.join(", ", recovered));
    }
    out.printf("files:            %d listed: %d new, %d skipped (already in the lake), %d reingested, %d unreadable%n",
        listed, newFiles.size(), skipped.size(), reingested.size(), unreadable.size());
    if (!committed) {
      out.printf("nothing new:      the lake is up to date (--reingest reads the files again)%n");
      out.printf("elapsed:          %.1f s%n", elapsedMillis / 1000.0);
      return;
    }
    if (engine != null) {
      out.printf("engine:           %s%n", engine);
    }
    if (!context.isEmpty()) {
      out.printf("context:          %d file(s) of earlier runs re-read for connections still open%n", context.size());
    }
    out.printf("bytes:            %d%n", bytes);
    out.printf("packets:          %d%n", packets);
    out.printf("tcp connections:  %d (%d replaced rows already in the lake)%n", connections, replacedConnections);
    out.printf("http exchanges:   %d%n", httpExchanges);
    out.printf("anomalies:        %d%n", anomalyCount());
    new TreeMap<>(anomalies).forEach((k, v) -> out.printf("  %-40s%d%n", k, v));
    out.printf("lake:             %s/{flows,http,anomalies,captures}%n", lake);
    out.printf("report:           %s%n", reportPath);
    out.printf("elapsed:          %.1f s%n", elapsedMillis / 1000.0);
  }
}
