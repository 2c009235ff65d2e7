package io.pcaplake.local;

import io.pcaplake.filter.CaptureFilter;
import io.pcaplake.flow.FlowTable;
import io.pcaplake.flow.StreamSink;
import io.pcaplake.http.HttpLimits;
import io.pcaplake.http.SecretsOptions;
import io.pcaplake.tcp.TcpLimits;
import java.util.Objects;

/**
 * Options of one local engine run.
 *
 * @param filter capture filter with connection semantics (whole connections kept), {@link CaptureFilter#all()} for
 *     none
 * @param http run the HTTP stage (http rows, {@code http_exchanges}, http anomalies)
 * @param secrets credential fingerprint key and keep-secrets switch of the HTTP stage
 * @param streams an extra consumer of the reassembled streams (the console's byte printer), or null; it replaces
 *     the HTTP stage when both are asked for
 * @param tcpLimits reassembly limits (the Spark engine's defaults unless a test says otherwise)
 * @param httpLimits HTTP parser limits
 * @param flowLimits flow-table bounds: idle timeout and linger in capture time, keys held at once
 * @param threads 1: everything on the caller's thread; 2 or 4: that many reassembly + HTTP workers, each with the
 *     flow table of its share of the keys, fed by one read + decode thread over bounded queues
 */
public record LocalOptions(CaptureFilter filter, boolean http, SecretsOptions secrets, StreamSink.Factory streams,
                           TcpLimits tcpLimits, HttpLimits httpLimits, FlowTable.Limits flowLimits, int threads) {
  public LocalOptions {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(tcpLimits, "tcpLimits");
    Objects.requireNonNull(httpLimits, "httpLimits");
    Objects.requireNonNull(flowLimits, "flowLimits");
    if (threads != 1 && threads != 2 && threads != 4) {
      throw new IllegalArgumentException("threads must be 1, 2 or 4: " + threads);
    }
  }

  /** No filter, the HTTP stage on, default key, default limits, 2 threads. */
  public static LocalOptions defaults() {
    return new LocalOptions(CaptureFilter.all(), true, new SecretsOptions(null, false), null, TcpLimits.DEFAULTS,
        HttpLimits.DEFAULTS, FlowTable.Limits.DEFAULTS, 2);
  }

  public LocalOptions withFilter(CaptureFilter f) {
    return new LocalOptions(f, http, secrets, streams, tcpLimits, httpLimits, flowLimits, threads);
  }

  public LocalOptions withHttp(boolean on) {
    return new LocalOptions(filter, on, secrets, streams, tcpLimits, httpLimits, flowLimits, threads);
  }

  public LocalOptions withSecrets(SecretsOptions s) {
    return new LocalOptions(filter, http, s, streams, tcpLimits, httpLimits, flowLimits, threads);
  }

  public LocalOptions withStreams(StreamSink.Factory f) {
    return new LocalOptions(filter, http, secrets, f, tcpLimits, httpLimits, flowLimits, threads);
  }

  public LocalOptions withFlowLimits(FlowTable.Limits l) {
    return new LocalOptions(filter, http, secrets, streams, tcpLimits, httpLimits, l, threads);
  }

  public LocalOptions withThreads(int n) {
    return new LocalOptions(filter, http, secrets, streams, tcpLimits, httpLimits, flowLimits, n);
  }
}
