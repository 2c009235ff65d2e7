package io.pcaplake.spark.flows;

import static io.pcaplake.spark.SegmentColumns.*;

import io.pcaplake.capture.ProblemSink;
import io.pcaplake.filter.CaptureFilter;
import io.pcaplake.filter.FilterSyntaxException;
import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.FlowKey;
import io.pcaplake.packet.DecodeStatus;
import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.packet.PacketDecoder;
import io.pcaplake.tcp.TcpSegment;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The per-file defragmentation step of the flows job: its input is {@code fragment} rows ({@code fragments=defer},
 * {@link io.pcaplake.spark.SegmentColumns}), all of a file's in one partition, sorted by (capture_file,
 * record_index), so each file's fragment records arrive together and in file order. Each file gets one
 * {@link PacketDecoder}, as in the local engine, which decodes the records again (their IP-level problems are raised
 * here, once), reassembles the datagrams (timeouts on fragment arrivals) and is flushed when the file's rows end.
 * Output rows have the input schema: a {@code segment} row for each completed datagram that is TCP and kept by the
 * filter, exactly as the split reader makes it for an unfragmented record (time, offset and frame length of the
 * record that completed it), and a {@code problem} row per problem. Output is pulled lazily.
 */
final class Defragment implements FlatMapFunction<Iterator<Row>, Row> {
  private static final long serialVersionUID = 1L;
  private final String[] fields;
  private final String filter;
  private final int kind;
  private final int file;
  private final int record;
  private final int ts;
  private final int payload;
  private final int frameLen;
  private final int caplen;
  private final int linkType;
  private final int fcsLen;

  /** @param schema the input (and output) rows' schema; @param filter the capture filter expression, blank for none */
  Defragment(StructType schema, String filter) {
    this.fields = schema.fieldNames();
    this.filter = filter == null ? "" : filter;
    kind = schema.fieldIndex(KIND);
    file = schema.fieldIndex(CAPTURE_FILE);
    record = schema.fieldIndex(RECORD_INDEX);
    ts = schema.fieldIndex(LAST_TS_NS);
    payload = schema.fieldIndex(PAYLOAD);
    frameLen = schema.fieldIndex(FRAME_LEN);
    caplen = schema.fieldIndex(CAPLEN);
    linkType = schema.fieldIndex(LINK_TYPE);
    fcsLen = schema.fieldIndex(FCS_LEN);
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) throws FilterSyntaxException {
    CaptureFilter f = CaptureFilter.parse(filter);  // checked on the driver before the job starts
    return new Output(input, f.matchesAll() ? null : f);
  }

  private final class Output implements Iterator<Row>, ProblemSink {
    private final Iterator<Row> in;
    private final CaptureFilter filter;
    private final ArrayDeque<Row> queue = new ArrayDeque<>();
    private String currentFile;
    private PacketDecoder decoder;
    private Long decodingTs;

    Output(Iterator<Row> in, CaptureFilter filter) {
      this.in = in;
      this.filter = filter;
    }

    @Override
    public boolean hasNext() {
      while (queue.isEmpty()) {
        if (!in.hasNext()) {
          endFile();
          return !queue.isEmpty();
        }
        Row r = in.next();
        if (!FRAGMENT.equals(r.getString(kind))) {
          continue;
        }
        String name = r.getString(file);
        if (!name.equals(currentFile)) {
          endFile();
          currentFile = name;
          decoder = new PacketDecoder();
        }
        decode(r);
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return queue.poll();
    }

    private void decode(Row r) {
      byte[] data = (byte[]) r.get(payload);
      long t = r.getLong(ts);
      long offset = r.getLong(record);
      int origlen = r.getInt(frameLen);
      int cap = r.getInt(caplen);
      decodingTs = t;
      DecodedPacket p = decoder.decode(data, 0, cap, origlen, r.getInt(linkType), r.getInt(fcsLen), t, offset, this);
      decodingTs = null;
      if (p.status() == DecodeStatus.OK && p.isTcp() && (filter == null || filter.matchesEitherDirection(p))) {
        queue.add(segment(p, t, offset, origlen, cap));
      }
    }

    /** The file's rows ended: datagrams still open are reported ({@code packet.fragment_incomplete}), once. */
    private void endFile() {
      if (decoder != null) {
        decoder.flush(this);
        decoder = null;
      }
    }

    private Row segment(DecodedPacket p, long t, long offset, int origlen, int cap) {
      Object[] v = new Object[fields.length];
      for (int i = 0; i < fields.length; i++) {
        v[i] = switch (fields[i]) {
          case KIND -> SEGMENT;
          case KEY -> FlowKey.of(p).encode();
          case FROM_A -> TcpSegment.isFromA(p);
          case TS_NS -> t;
          case CAPTURE_FILE -> currentFile;
          case RECORD_INDEX -> offset;
          case SEQ -> p.tcpSeq();
          case ACK -> p.tcpAck();
          case FLAGS -> p.tcpFlags();
          case WINDOW -> p.tcpWindow();
          case WSCALE -> p.tcpWindowScale();
          case PAYLOAD -> {
            int off = Math.max(0, p.payloadOffset());
            yield Arrays.copyOfRange(p.buffer(), off, off + p.payloadLength());
          }
          case PAYLOAD_WIRE_LEN -> p.payloadWireLength();
          case FRAME_LEN -> origlen;
          case CAPLEN -> cap;
          case SRC_MAC -> p.srcMac();
          case DST_MAC -> p.dstMac();
          default -> null;
        };
      }
      return RowFactory.create(v);
    }

    @Override
    public void report(String reason, long offset, String detail) {
      Object[] v = new Object[fields.length];
      for (int i = 0; i < fields.length; i++) {
        v[i] = switch (fields[i]) {
          case KIND -> PROBLEM;
          case CAPTURE_FILE -> currentFile;
          case RECORD_INDEX -> offset < 0 ? null : offset;
          case TS_NS -> decodingTs;
          case LAYER -> AnomalyRecord.layerOf(reason);
          case REASON -> reason;
          case DETAIL -> detail;
          default -> null;
        };
      }
      queue.add(RowFactory.create(v));
    }
  }
}
