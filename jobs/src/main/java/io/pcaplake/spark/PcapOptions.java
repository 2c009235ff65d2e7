package io.pcaplake.spark;

import io.pcaplake.filter.CaptureFilter;
import io.pcaplake.filter.FilterSyntaxException;
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
 * @param rows the row mode: {@code packets} (default), {@code problems} or {@code segments}
 * @param filter capture filter ({@code filter}, tcpdump syntax, {@code docs/filter.md}) applied with connection
 *     semantics in {@code rows=packets} and {@code rows=segments}; blank for none
 * @param maxPartitionBytes split size in bytes ({@code maxPartitionBytes}), or 0 for the session's
 *     {@code spark.sql.files.maxPartitionBytes}
 * @param deferFragments {@code fragments=defer} ({@code rows=segments} only): IP fragment records become
 *     {@code fragment} rows instead of being reassembled within the split (the flows job reassembles them per file)
 * @param hadoopOptions every option as given, applied to the Hadoop configuration (e.g. {@code fs.s3a.*})
 */
record PcapOptions(List<String> paths, boolean payload, RowMode rows, String filter, long maxPartitionBytes,
                   boolean deferFragments, Map<String, String> hadoopOptions) implements Serializable {

  /** What one row is: a capture record, a problem, or a TCP segment for reassembly (plus the problems). */
  enum RowMode { PACKETS, PROBLEMS, SEGMENTS }

  PcapOptions {
    paths = List.copyOf(paths);
    hadoopOptions = Map.copyOf(hadoopOptions);
    filter = filter == null ? "" : filter;
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
    if (!rows.equals("packets") && !rows.equals("problems") && !rows.equals("segments")) {
      throw new IllegalArgumentException(
          "option rows must be 'packets', 'problems' or 'segments', not '" + rows + "'");
    }
    String filter = lower.getOrDefault("filter", "");
    if (!filter.isBlank() && rows.equals("problems")) {
      throw new IllegalArgumentException("option filter is only supported with rows=packets and rows=segments");
    }
    compileFilter(filter);
    String fragments = lower.getOrDefault("fragments", "split").toLowerCase(Locale.ROOT);
    if (!fragments.equals("split") && !fragments.equals("defer")) {
      throw new IllegalArgumentException("option fragments must be 'split' or 'defer', not '" + fragments + "'");
    }
    if (fragments.equals("defer") && !rows.equals("segments")) {
      throw new IllegalArgumentException("option fragments=defer is only supported with rows=segments");
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
    return new PcapOptions(paths, payload.equals("true"), RowMode.valueOf(rows.toUpperCase(Locale.ROOT)), filter,
        maxBytes, fragments.equals("defer"), options);
  }

  boolean problemRows() {
    return rows == RowMode.PROBLEMS;
  }

  /** Compiles a filter option; a syntax error becomes an IllegalArgumentException with the parser's message. */
  static CaptureFilter compileFilter(String expression) {
    try {
      return CaptureFilter.parse(expression == null ? "" : expression);
    } catch (FilterSyntaxException e) {
      throw new IllegalArgumentException("option filter: " + e.getMessage() + "\n" + e.pointer(), e);
    }
  }

  private static List<String> jsonArray(String json) {
    try {
      return List.of(new ObjectMapper().readValue(json, String[].class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("option paths is not a JSON array of strings: " + json, e);
    }
  }
}
