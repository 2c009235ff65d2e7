package io.pcaplake.spark.flows;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one run of the flows job reads and writes.
 *
 * @param inputs capture files, directories or globs (any Hadoop file system)
 * @param out output directory: {@code flows/}, {@code http/}, {@code anomalies/} and {@code reports/<runId>/} go under it
 * @param filter capture filter (tcpdump syntax, connection semantics), blank for none
 * @param splitSize split size in bytes, or null for {@code spark.sql.files.maxPartitionBytes}
 * @param runId the report's directory name; null: the start time, {@code yyyyMMdd'T'HHmmss'Z'}
 * @param commandLine the command line written to report.xml's {@code <command_line>}
 * @param startTime run start (report.xml's {@code <start_time>}, the {@code dt} of anomalies without a time)
 * @param fingerprintKey the HMAC key of credential fingerprints ({@code auth_token_fp}, {@code fp:<hex>} header
 *     values), or null for the documented default key
 * @param keepSecrets store raw credentials instead of fingerprints ({@code --keep-secrets})
 * @param extractBodies folder (any Hadoop file system) receiving every decoded HTTP body as a file
 *     ({@code --extract-bodies}, {@link io.pcaplake.http.BodyFiles}), or null for no extraction
 */
public record FlowsOptions(List<String> inputs, String out, String filter, Long splitSize, String runId,
                           String commandLine, Instant startTime, byte[] fingerprintKey, boolean keepSecrets,
                           String extractBodies) {
  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  public FlowsOptions {
    inputs = List.copyOf(inputs);
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("at least one input");
    }
    Objects.requireNonNull(out, "out");
    filter = filter == null ? "" : filter;
    if (splitSize != null && splitSize <= 0) {
      throw new IllegalArgumentException("split size must be positive: " + splitSize);
    }
    startTime = startTime == null ? Instant.now() : startTime;
    runId = runId == null || runId.isBlank() ? RUN_ID.format(startTime) : runId;
    if (runId.contains("/")) {
      throw new IllegalArgumentException("run id must not contain '/': " + runId);
    }
    commandLine = commandLine == null ? "" : commandLine;
    fingerprintKey = fingerprintKey == null ? null : fingerprintKey.clone();
    extractBodies = extractBodies == null || extractBodies.isBlank() ? null : extractBodies;
  }

  /** No body extraction. */
  public FlowsOptions(List<String> inputs, String out, String filter, Long splitSize, String runId,
                      String commandLine, Instant startTime, byte[] fingerprintKey, boolean keepSecrets) {
    this(inputs, out, filter, splitSize, runId, commandLine, startTime, fingerprintKey, keepSecrets, null);
  }

  /** Default secrets handling: fingerprints with the default key. */
  public FlowsOptions(List<String> inputs, String out, String filter, Long splitSize, String runId,
                      String commandLine, Instant startTime) {
    this(inputs, out, filter, splitSize, runId, commandLine, startTime, null, false);
  }

  @Override
  public byte[] fingerprintKey() {
    return fingerprintKey == null ? null : fingerprintKey.clone();
  }

  /** Inputs and output only; everything else defaulted. */
  public static FlowsOptions of(List<String> inputs, String out) {
    return new FlowsOptions(inputs, out, "", null, null, "", null);
  }

  public FlowsOptions withFilter(String f) {
    return new FlowsOptions(inputs, out, f, splitSize, runId, commandLine, startTime, fingerprintKey, keepSecrets,
        extractBodies);
  }

  public FlowsOptions withSplitSize(Long bytes) {
    return new FlowsOptions(inputs, out, filter, bytes, runId, commandLine, startTime, fingerprintKey, keepSecrets,
        extractBodies);
  }

  public FlowsOptions withRunId(String id) {
    return new FlowsOptions(inputs, out, filter, splitSize, id, commandLine, startTime, fingerprintKey, keepSecrets,
        extractBodies);
  }

  /** @param key the fingerprint key, null for the default; @param keep store raw credentials */
  public FlowsOptions withSecrets(byte[] key, boolean keep) {
    return new FlowsOptions(inputs, out, filter, splitSize, runId, commandLine, startTime, key, keep, extractBodies);
  }

  /** @param dir the body extraction folder ({@code --extract-bodies}), null for none */
  public FlowsOptions withExtractBodies(String dir) {
    return new FlowsOptions(inputs, out, filter, splitSize, runId, commandLine, startTime, fingerprintKey, keepSecrets,
        dir);
  }

  /** UTC date of the start: the {@code dt} of anomalies that have no time. */
  public String runDate() {
    return startTime.atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }

  public String flowsPath() {
    return join(out, "flows");
  }

  public String httpPath() {
    return join(out, "http");
  }

  public String anomaliesPath() {
    return join(out, "anomalies");
  }

  public String reportPath() {
    return join(out, "reports/" + runId + "/report.xml");
  }

  private static String join(String dir, String child) {
    return dir.endsWith("/") ? dir + child : dir + "/" + child;
  }
}
