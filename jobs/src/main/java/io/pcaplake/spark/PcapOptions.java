package io.pcaplake.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.network.util.JavaUtils;

/**
 * The reader options of {@code format("pcap")}, validated.
 *
 * @param paths load paths: files, directories (read recursively) or globs, on any Hadoop file system
 * @param payload whether the {@code payload} binary column is in the schema ({@code payload=true})
 * @param problemRows {@code rows=problems}: one row per problem instead of one row per record
 * @param maxPartitionBytes split size in bytes ({@code maxPartitionBytes}), or 0 for the session's
 *     {@code spark.sql.files.maxPartitionBytes}
 * @param hadoopOptions every option as given, applied to the Hadoop configuration (e.g. {@code fs.s3a.*})
 */
record PcapOptions(List<String> paths, boolean payload, boolean problemRows, long maxPartitionBytes,
                   Map<String, String> hadoopOptions) implements Serializable {

  PcapOptions {
    paths = List.copyOf(paths);
    hadoopOptions = Map.copyOf(hadoopOptions);
    if (maxPartitionBytes < 0) {
      throw new IllegalArgumentException("maxPartitionBytes must be positive: " + maxPartitionBytes);
    }
  }

  /** Parses Spark's case-insensitive options ({@code path} for one load path, {@code paths} as a JSON array). */
  static PcapOptions parse(Map<String, String> options) {
    Map<String, String> lower = new java.util.HashMap<>();
    options.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    List<String> paths = new ArrayList<>();
    if (lower.containsKey("path")) {
      paths.add(lower.get("path"));
    }
    if (lower.containsKey("paths")) {
      paths.addAll(jsonArray(lower.get("paths")));
    }
    String rows = lower.getOrDefault("rows", "packets").toLowerCase(Locale.ROOT);
    if (!rows.equals("packets") && !rows.equals("problems")) {
      throw new IllegalArgumentException("option rows must be 'packets' or 'problems', not '" + rows + "'");
    }
    String payload = lower.getOrDefault("payload", "false").toLowerCase(Locale.ROOT);
    if (!payload.equals("true") && !payload.equals("false")) {
      throw new IllegalArgumentException("option payload must be true or false, not '" + payload + "'");
    }
    long maxBytes = lower.containsKey("maxpartitionbytes")
        ? JavaUtils.byteStringAsBytes(lower.get("maxpartitionbytes")) : 0;
    if (lower.containsKey("maxpartitionbytes") && maxBytes <= 0) {
      throw new IllegalArgumentException("option maxPartitionBytes must be positive");
    }
    return new PcapOptions(paths, payload.equals("true"), rows.equals("problems"), maxBytes, options);
  }

  private static List<String> jsonArray(String json) {
    try {
      return List.of(new ObjectMapper().readValue(json, String[].class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("option paths is not a JSON array of strings: " + json, e);
    }
  }
}
