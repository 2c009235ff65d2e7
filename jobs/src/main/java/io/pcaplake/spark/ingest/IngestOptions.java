package io.pcaplake.spark.ingest;

import io.pcaplake.lake.LakeLock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one {@code pcaplake ingest} run reads and where it writes ({@code docs/lake.md}).
 *
 * @param inputs capture files, directories or globs (any Hadoop file system)
 * @param lake the lake's root directory (any Hadoop file system)
 * @param filter capture filter (tcpdump syntax, connection semantics), blank for none
 * @param splitSize split size in bytes, or null for {@code spark.sql.files.maxPartitionBytes}
 * @param runId the run's id (report directory, {@code captures.ingest_run}); null: the start time
 *     {@code yyyyMMdd'T'HHmmss'Z'}
 * @param commandLine written to report.xml's {@code <command_line>}
 * @param startTime run start; null: now
 * @param fingerprintKey credential fingerprint key, null for the documented default
 * @param keepSecrets store raw credentials
 * @param reingest read the listed files again even when the manifest says they are in the lake (their rows are
 *     replaced)
 * @param sha256 compute {@code captures.sha256} (reads every new file once more, on the driver)
 * @param packets also write the {@code packets} table (one row per record, or per record of the connections the filter
 *     keeps; a second pass over the new files)
 * @param lockWait how long to wait for another ingest's lock; zero: fail at once
 * @param staleLockAfter a lock older than this is broken ({@link LakeLock})
 * @param progress print a progress line on stderr while Spark works
 * @param extractBodies folder (any Hadoop FS) for decoded HTTP bodies ({@code docs/http.md}), or null for none
 */
public record IngestOptions(List<String> inputs, String lake, String filter, Long splitSize, String runId,
                            String commandLine, Instant startTime, byte[] fingerprintKey, boolean keepSecrets,
                            boolean reingest, boolean sha256, boolean packets, Duration lockWait, Duration staleLockAfter,
                            boolean progress, String extractBodies) {
  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  public IngestOptions {
    inputs = List.copyOf(inputs);
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("at least one input");
    }
    Objects.requireNonNull(lake, "lake");
    filter = filter == null ? "" : filter;
    if (splitSize != null && splitSize <= 0) {
      throw new IllegalArgumentException("split size must be positive: " + splitSize);
    }
    startTime = startTime == null ? Instant.now() : startTime;
    runId = runId == null || runId.isBlank() ? RUN_ID.format(startTime) : runId;
    if (runId.contains("/") || runId.contains("\t") || runId.startsWith(".")) {
      throw new IllegalArgumentException("run id must not contain '/' or a tab, nor start with '.': " + runId);
    }
    commandLine = commandLine == null ? "" : commandLine;
    fingerprintKey = fingerprintKey == null ? null : fingerprintKey.clone();
    lockWait = lockWait == null ? Duration.ZERO : lockWait;
    staleLockAfter = staleLockAfter == null ? LakeLock.DEFAULT_STALE_AFTER : staleLockAfter;
    extractBodies = extractBodies == null || extractBodies.isBlank() ? null : extractBodies;
  }

  /** Without body extraction. */
  public IngestOptions(List<String> inputs, String lake, String filter, Long splitSize, String runId,
                       String commandLine, Instant startTime, byte[] fingerprintKey, boolean keepSecrets,
                       boolean reingest, boolean sha256, boolean packets, Duration lockWait, Duration staleLockAfter,
                       boolean progress) {
    this(inputs, lake, filter, splitSize, runId, commandLine, startTime, fingerprintKey, keepSecrets, reingest, sha256,
        packets, lockWait, staleLockAfter, progress, null);
  }

  /** Inputs and lake only; everything else defaulted (no progress line). */
  public static IngestOptions of(List<String> inputs, String lake) {
    return new IngestOptions(inputs, lake, "", null, null, "", null, null, false, false, false, false, null, null,
        false);
  }

  @Override
  public byte[] fingerprintKey() {
    return fingerprintKey == null ? null : fingerprintKey.clone();
  }

  public IngestOptions withRunId(String id) {
    return new IngestOptions(inputs, lake, filter, splitSize, id, commandLine, null, fingerprintKey, keepSecrets,
        reingest, sha256, packets, lockWait, staleLockAfter, progress);
  }

  public IngestOptions withReingest(boolean r) {
    return new IngestOptions(inputs, lake, filter, splitSize, runId, commandLine, startTime, fingerprintKey,
        keepSecrets, r, sha256, packets, lockWait, staleLockAfter, progress);
  }

  public IngestOptions withSha256(boolean s) {
    return new IngestOptions(inputs, lake, filter, splitSize, runId, commandLine, startTime, fingerprintKey,
        keepSecrets, reingest, s, packets, lockWait, staleLockAfter, progress);
  }

  public IngestOptions withPackets(boolean p) {
    return new IngestOptions(inputs, lake, filter, splitSize, runId, commandLine, startTime, fingerprintKey,
        keepSecrets, reingest, sha256, p, lockWait, staleLockAfter, progress);
  }

  public IngestOptions withFilter(String f) {
    return new IngestOptions(inputs, lake, f, splitSize, runId, commandLine, startTime, fingerprintKey, keepSecrets,
        reingest, sha256, packets, lockWait, staleLockAfter, progress, extractBodies);
  }

  public IngestOptions withWait(Duration w) {
    return new IngestOptions(inputs, lake, filter, splitSize, runId, commandLine, startTime, fingerprintKey,
        keepSecrets, reingest, sha256, packets, w, staleLockAfter, progress);
  }

  /** UTC date of the start: the {@code dt} of anomalies that have no time. */
  public String runDate() {
    return startTime.atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }
}
