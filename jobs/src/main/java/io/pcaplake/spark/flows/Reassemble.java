package io.pcaplake.spark.flows;

import static io.pcaplake.spark.SegmentColumns.*;

import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.flow.FlowAssembler;
import io.pcaplake.flow.FlowOutput;
import io.pcaplake.flow.FlowSegment;
import io.pcaplake.http.BodyFiles;
import io.pcaplake.http.HttpLimits;
import io.pcaplake.http.HttpStage;
import io.pcaplake.http.SecretsOptions;
import io.pcaplake.tcp.DirectionStats;
import io.pcaplake.tcp.FlowSummary;
import io.pcaplake.tcp.TcpLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;

/**
 * One task of the reassembly stage: its input is one shuffle partition of {@code rows=segments} rows merged with
 * the rows the per-file defragmentation gave for the same keys, sorted by (key, ts_ns, capture_file, record_index),
 * so each key's segments arrive together and in capture order. Segment
 * rows feed a {@link FlowAssembler} (which ends a key's connections when the next key starts) with the
 * {@link HttpStage} on its streams (http rows and http anomalies as exchanges complete, credentials fingerprinted
 * here unless keepSecrets); problem rows become
 * anomaly rows; count rows pass through. Output is pulled lazily: only the rows produced by the last input row
 * are queued, and the assembler holds one key's reassembly state.
 */
final class Reassemble implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  private final int kind;
  private final int key;
  private final int fromA;
  private final int ts;
  private final int file;
  private final int record;
  private final int seq;
  private final int ack;
  private final int flags;
  private final int window;
  private final int wscale;
  private final int payload;
  private final int wireLen;
  private final int frameLen;
  private final int caplen;
  private final int srcMac;
  private final int dstMac;
  private final int layer;
  private final int reason;
  private final int detail;
  private final int records;
  private final int recordsRead;
  private final int recordsOk;
  private final int recordsUnsupported;
  private final int recordsBad;
  private final int lastTs;
  private final String runDate;
  private final byte[] fingerprintKey;
  private final boolean keepSecrets;
  private final HadoopBodies bodies;
  private final LongAccumulator bodyFiles;

  /**
   * @param input the input rows' schema
   * @param runDate {@code dt} of anomalies without a time
   * @param fingerprintKey the credential fingerprint key, null for the default
   * @param keepSecrets store raw credentials
   * @param bodies body extraction ({@code --extract-bodies}), or null
   * @param bodyFiles counts the body files created (a recomputed partition counts again), or null
   */
  Reassemble(StructType input, String runDate, byte[] fingerprintKey, boolean keepSecrets, HadoopBodies bodies,
             LongAccumulator bodyFiles) {
    kind = input.fieldIndex(KIND);
    key = input.fieldIndex(KEY);
    fromA = input.fieldIndex(FROM_A);
    ts = input.fieldIndex(TS_NS);
    file = input.fieldIndex(CAPTURE_FILE);
    record = input.fieldIndex(RECORD_INDEX);
    seq = input.fieldIndex(SEQ);
    ack = input.fieldIndex(ACK);
    flags = input.fieldIndex(FLAGS);
    window = input.fieldIndex(WINDOW);
    wscale = input.fieldIndex(WSCALE);
    payload = input.fieldIndex(PAYLOAD);
    wireLen = input.fieldIndex(PAYLOAD_WIRE_LEN);
    frameLen = input.fieldIndex(FRAME_LEN);
    caplen = input.fieldIndex(CAPLEN);
    srcMac = input.fieldIndex(SRC_MAC);
    dstMac = input.fieldIndex(DST_MAC);
    layer = input.fieldIndex(LAYER);
    reason = input.fieldIndex(REASON);
    detail = input.fieldIndex(DETAIL);
    records = input.fieldIndex(RECORDS);
    recordsRead = input.fieldIndex(RECORDS_READ);
    recordsOk = input.fieldIndex(RECORDS_OK);
    recordsUnsupported = input.fieldIndex(RECORDS_UNSUPPORTED);
    recordsBad = input.fieldIndex(RECORDS_BAD);
    lastTs = input.fieldIndex(LAST_TS_NS);
    this.runDate = runDate;
    this.fingerprintKey = fingerprintKey == null ? null : fingerprintKey.clone();
    this.keepSecrets = keepSecrets;
    this.bodies = bodies;
    this.bodyFiles = bodyFiles;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) throws IOException {
    BodyFiles.Opener opener = null;
    if (bodies != null) {
      BodyFiles.Opener o = bodies.opener();
      opener = bodyFiles == null ? o : name -> {
        OutputStream s = o.create(name);
        bodyFiles.add(1);
        return s;
      };
    }
    return new Output(input, opener);
  }

  private final class Output implements Iterator<Row>, FlowOutput {
    private final Iterator<Row> in;
    private final ArrayDeque<Row> queue = new ArrayDeque<>();
    private final Map<String, Integer> fileIds = new HashMap<>();
    private final List<String> fileNames = new ArrayList<>();
    private final FlowAssembler assembler = new FlowAssembler(TcpLimits.DEFAULTS, fileNames::get, this);
    private final FlowSegment segment = new FlowSegment();
    private final HttpStage http;
    private boolean finished;
    /** Payload accounting of this task: fed, seen, delivered, retransmitted, conflicting, dropped, uncaptured. */
    private final long[] payloadTotals = new long[7];

    Output(Iterator<Row> in, BodyFiles.Opener bodies) {
      this.in = in;
      this.http = HttpStage.attach(assembler, HttpLimits.DEFAULTS, new SecretsOptions(fingerprintKey, keepSecrets),
          r -> queue.add(ResultRows.http(r)), this::anomaly, bodies);
    }

    @Override
    public boolean hasNext() {
      while (queue.isEmpty() && !finished) {
        if (in.hasNext()) {
          consume(in.next());
        } else {
          assembler.finish();
          finished = true;
          long[] t = payloadTotals;
          if (t[0] > 0 || t[1] > 0) {
            queue.add(ResultRows.payload(t[0], t[1], t[2], t[3], t[4], t[5], t[6]));
          }
        }
      }
      return !queue.isEmpty();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return queue.poll();
    }

    private void consume(Row r) {
      String k = r.getString(kind);
      if (SEGMENT.equals(k)) {
        byte[] p = (byte[]) r.get(payload);
        payloadTotals[0] += Math.max(p.length, r.getInt(wireLen));
        assembler.accept(segment.encodedKey((byte[]) r.get(key))
            .tcp(r.getBoolean(fromA), r.getLong(ts), r.getLong(seq), r.getLong(ack), r.getInt(flags),
                r.getInt(window), r.getInt(wscale))
            .payload(p, 0, p.length, r.getInt(wireLen))
            .record(fileId(r.getString(file)), r.getLong(record), r.getInt(frameLen), r.getInt(caplen))
            .macs(r.getLong(srcMac), r.getLong(dstMac)));
      } else if (PROBLEM.equals(k)) {
        Long tsNs = r.isNullAt(ts) ? null : r.getLong(ts);
        queue.add(ResultRows.anomaly(r.getString(file), r.isNullAt(record) ? null : r.getLong(record), null,
            tsNs == null ? null : Math.floorDiv(tsNs, 1000L), r.getString(layer), r.getString(reason),
            r.isNullAt(detail) ? null : r.getString(detail), tsNs == null ? runDate : date(tsNs)));
      } else if (COUNT.equals(k)) {
        queue.add(ResultRows.count(r.getString(file), r.getLong(records), r.getLong(recordsRead), r.getLong(recordsOk),
            r.getLong(recordsUnsupported), r.getLong(recordsBad), nullable(r, ts), nullable(r, lastTs)));
      } else {
        throw new IllegalStateException("unknown segment row kind " + k);
      }
    }

    private int fileId(String name) {
      Integer id = fileIds.get(name);
      if (id == null) {
        id = fileNames.size();
        fileNames.add(name);
        fileIds.put(name, id);
      }
      return id;
    }

    @Override
    public void connection(ConnectionRecord c) {
      queue.add(ResultRows.flow(c, http.exchangeCount(c.flowId())));
    }

    @Override
    public void anomaly(AnomalyRecord a) {
      queue.add(ResultRows.anomaly(a, runDate));
    }

    @Override
    public void summary(ConnectionRecord c, FlowSummary s) {
      for (DirectionStats d : new DirectionStats[] {s.client(), s.server()}) {
        payloadTotals[1] += d.payloadSeen();
        payloadTotals[2] += d.bytes();
        payloadTotals[3] += d.retransmittedBytes();
        payloadTotals[4] += d.conflictingBytes();
        payloadTotals[5] += d.droppedBytes();
        payloadTotals[6] += d.uncapturedBytes();
      }
    }
  }

  private static Long nullable(Row r, int i) {
    return r.isNullAt(i) ? null : r.getLong(i);
  }

  static String date(long tsNanos) {
    return Instant.ofEpochSecond(Math.floorDiv(tsNanos, 1_000_000_000L)).atOffset(ZoneOffset.UTC).toLocalDate()
        .toString();
  }
}
