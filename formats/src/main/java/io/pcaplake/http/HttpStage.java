package io.pcaplake.http;

import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.flow.FlowAssembler;
import io.pcaplake.flow.FlowKey;
import io.pcaplake.flow.StreamSink;
import io.pcaplake.tcp.ConnectionInfo;
import io.pcaplake.tcp.TcpDirection;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP stage of a {@link FlowAssembler}: one {@link HttpConnection} per TCP connection, its exchanges turned into
 * {@link HttpRecord}s and its anomalies into {@link AnomalyRecord}s (layer {@code http}) by {@link HttpRows}.
 *
 * <p>Rows are emitted <b>as each exchange completes</b>, not at connection end: a keep-alive connection may carry any
 * number of exchanges (the parser bounds only the pending ones, {@link HttpLimits#maxPendingRequests}), so nothing
 * per exchange is held here. Connection columns come from what is known at open (flow id, key, ConnectionInfo: the
 * client side is the reassembler's decision, the same as the flows row's). {@code capture_file} is the file of the
 * packet whose arrival completed the exchange, or, for exchanges flushed when the connection ends, the connection's
 * last capture file.
 *
 * <p>{@code flows.http_exchanges}: the sink closes before {@code FlowOutput.connection} for the same connection, so
 * the flow output reads {@link #exchangeCount(String)} for the record it receives.
 *
 * <p>At DEBUG, one log line per exchange and per anomaly, written from the row (so as masked as the table: no raw
 * credential unless keepSecrets).
 *
 * <p>Not thread-safe; one per FlowAssembler.
 */
public final class HttpStage implements StreamSink.Factory {
  private static final Logger LOG = LoggerFactory.getLogger(HttpStage.class);
  private final HttpLimits limits;
  private final HttpRows rows;
  private final Supplier<String> currentCaptureFile;
  private final Consumer<HttpRecord> rowOut;
  private final Consumer<AnomalyRecord> anomalyOut;
  private java.util.function.BiConsumer<HttpRecord, HttpExchange> exchangeOut;
  private String lastClosedFlow;
  private int lastClosedCount;
  private long exchanges;
  private long httpConnections;
  private final BodyFiles.Opener bodies;
  private long bodyFiles;
  private boolean hashBodies = true;

  /**
   * @param currentCaptureFile name of the capture file of the packet being processed (e.g.
   *     {@link FlowAssembler#currentCaptureFile}), may return null
   */
  public HttpStage(HttpLimits limits, SecretsOptions secrets, Supplier<String> currentCaptureFile,
                   Consumer<HttpRecord> rows, Consumer<AnomalyRecord> anomalies) {
    this(limits, secrets, currentCaptureFile, rows, anomalies, null);
  }

  /**
   * @param bodies where to extract decoded bodies ({@link BodyFiles}: {@code --extract-bodies}), or null for none
   */
  public HttpStage(HttpLimits limits, SecretsOptions secrets, Supplier<String> currentCaptureFile,
                   Consumer<HttpRecord> rows, Consumer<AnomalyRecord> anomalies, BodyFiles.Opener bodies) {
    this.bodies = bodies == null ? null : name -> {
      java.io.OutputStream o = bodies.create(name);
      bodyFiles++;
      return o;
    };
    this.limits = Objects.requireNonNull(limits, "limits");
    this.rows = new HttpRows(secrets);
    this.currentCaptureFile = currentCaptureFile == null ? () -> null : currentCaptureFile;
    this.rowOut = Objects.requireNonNull(rows, "rows");
    this.anomalyOut = anomalies == null ? a -> { } : anomalies;
  }

  /** Wires a stage with default limits into the assembler ({@link FlowAssembler#streams}); returns it. */
  public static HttpStage attach(FlowAssembler assembler, SecretsOptions secrets, Consumer<HttpRecord> rows,
                                 Consumer<AnomalyRecord> anomalies) {
    return attach(assembler, HttpLimits.DEFAULTS, secrets, rows, anomalies);
  }

  public static HttpStage attach(FlowAssembler assembler, HttpLimits limits, SecretsOptions secrets,
                                 Consumer<HttpRecord> rows, Consumer<AnomalyRecord> anomalies) {
    return attach(assembler, limits, secrets, rows, anomalies, null);
  }

  /** As above, extracting bodies through {@code bodies} (null: none). */
  public static HttpStage attach(FlowAssembler assembler, HttpLimits limits, SecretsOptions secrets,
                                 Consumer<HttpRecord> rows, Consumer<AnomalyRecord> anomalies,
                                 BodyFiles.Opener bodies) {
    HttpStage s = new HttpStage(limits, secrets, assembler::currentCaptureFile, rows, anomalies, bodies);
    assembler.streams(s);
    return s;
  }

  @Override
  public StreamSink open(String flowId, FlowKey key, ConnectionInfo info) {
    return new Sink(flowId, key, info);
  }

  /**
   * {@code http_exchanges} of a connection that just ended: the number of rows emitted for {@code flowId} if it is
   * the connection closed last (call it from {@code FlowOutput.connection}), else 0.
   */
  public int exchangeCount(String flowId) {
    return flowId != null && flowId.equals(lastClosedFlow) ? lastClosedCount : 0;
  }

  /**
   * Also hands each row with the exchange it came from (bodies' decoded prefixes, parser details) to {@code out},
   * after the row consumer; for consoles that show more than the table holds. Null for none.
   */
  public HttpStage onExchange(java.util.function.BiConsumer<HttpRecord, HttpExchange> out) {
    this.exchangeOut = out;
    return this;
  }

  /**
   * Off: no SHA-256 of bodies ({@code response_body_sha256} and {@code request_body_sha256} null), for a console
   * that does not show them; the hash is about a tenth of the CPU on traffic of large bodies. Set before the first
   * segment. On by default (the tables always hash).
   */
  public HttpStage hashBodies(boolean on) {
    this.hashBodies = on;
    return this;
  }

  /** Rows emitted so far. */
  public long exchanges() {
    return exchanges;
  }

  /** Body files created so far (extraction on). */
  public long bodyFiles() {
    return bodyFiles;
  }

  /** Connections detected as HTTP so far (counted at their end). */
  public long httpConnections() {
    return httpConnections;
  }

  private final class Sink implements StreamSink, HttpListener {
    final String flowId;
    final FlowKey key;
    final ConnectionInfo info;
    final HttpConnection http;
    ConnectionRecord closing;
    int count;

    Sink(String flowId, FlowKey key, ConnectionInfo info) {
      this.flowId = flowId;
      this.key = key;
      this.info = info;
      this.http = new HttpConnection(flowId, limits, this, bodies);
      http.hashBodies(hashBodies);
    }

    private String file() {
      if (closing != null) {
        List<String> f = closing.captureFiles();
        return f.isEmpty() ? null : f.get(f.size() - 1);
      }
      return currentCaptureFile.get();
    }

    @Override
    public void deliver(TcpDirection direction, byte[] b, int off, int len, long streamOffset, long ts) {
      http.deliver(direction, b, off, len, streamOffset, ts);
    }

    @Override
    public void gap(TcpDirection direction, long streamOffset, long missingBytes) {
      http.gap(direction, streamOffset, missingBytes);
    }

    @Override
    public void close(ConnectionRecord connection) {
      closing = connection;
      http.close(connection);
      if (http.isHttpConnection()) {
        httpConnections++;
      }
      lastClosedFlow = flowId;
      lastClosedCount = count;
    }

    @Override
    public void exchange(HttpExchange exchange) {
      count++;
      exchanges++;
      HttpRecord r = rows.row(flowId, key, info, exchange, file());
      if (LOG.isDebugEnabled()) {
        LOG.debug("http {} #{}: {} {} {} -> {}", flowId, r.exchangeIndex(), r.method(), r.host(), r.uri(),
            r.statusCode());
      }
      rowOut.accept(r);
      if (exchangeOut != null) {
        exchangeOut.accept(r, exchange);
      }
    }

    @Override
    public void anomaly(HttpAnomaly anomaly) {
      AnomalyRecord a = rows.anomaly(anomaly, file());
      if (LOG.isDebugEnabled()) {
        LOG.debug("http {} anomaly {}: {}", flowId, a.reason(), a.detail());
      }
      anomalyOut.accept(a);
    }
  }
}
