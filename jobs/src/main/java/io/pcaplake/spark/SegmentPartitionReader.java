package io.pcaplake.spark;

import io.pcaplake.capture.CaptureReader;
import io.pcaplake.filter.CaptureFilter;
import io.pcaplake.flow.AnomalyRecord;
import io.pcaplake.flow.FlowKey;
import io.pcaplake.packet.DecodeStatus;
import io.pcaplake.packet.DecodedPacket;
import io.pcaplake.packet.RecordAccount;
import io.pcaplake.tcp.TcpSegment;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * {@code rows=segments} ({@link SegmentColumns}): reads and decodes each split once and emits a segment row per TCP
 * record that the filter keeps (connection semantics: {@link CaptureFilter#matchesEitherDirection}, so both
 * directions of a connection get the same verdict), a problem row per problem the reader or decoder reports, and a
 * count row per file read. Records that are not well-decoded TCP produce no segment (they are in the packets
 * table). With {@code deferFragments}, an IP fragment record is not reassembled here: it becomes a fragment row
 * (the record's bytes) and the problems its decoding raised are dropped, since the decoder that reassembles the
 * file's fragments decodes it again and raises them once. Memory stays bounded: the queue holds the rows of the
 * record just read.
 */
final class SegmentPartitionReader implements PartitionReader<InternalRow> {
  private final CaptureCursor cursor;
  private final String[] fields;
  private final CaptureFilter filter;
  private final boolean deferFragments;
  private final ArrayDeque<InternalRow> queue = new ArrayDeque<>();
  private InternalRow row;
  private boolean done;

  private String countedFile;
  private UTF8String countedFileUtf8;
  /** Record accounting per file of this task, emitted as count rows at the end (files per task are few). */
  private final Map<String, FileCount> counts = new LinkedHashMap<>();
  private FileCount count;
  /** The ts of the record being decoded (its problems carry it), or null while the reader itself reports. */
  private Long decodingTs;

  SegmentPartitionReader(List<CaptureSplit> splits, Configuration conf, StructType required, CaptureFilter filter,
                         boolean deferFragments) {
    this.fields = required.fieldNames();
    this.filter = filter == null || filter.matchesAll() ? null : filter;
    this.deferFragments = deferFragments;
    this.cursor = new CaptureCursor(splits, conf, file -> (reason, offset, detail) ->
        queue.add(problem(file, offset, reason, detail)))
        .onReaderDone((file, stats) -> counts.computeIfAbsent(file, f -> new FileCount()).account.reader(stats));
    if (deferFragments) {
      cursor.deferFragments();
    }
  }

  @Override
  public boolean next() {
    while (queue.isEmpty() && !done) {
      if (!cursor.advance()) {
        cursor.close();
        flushCounts();
        done = true;
        break;
      }
      if (!cursor.file().equals(countedFile)) {
        countedFile = cursor.file();
        countedFileUtf8 = UTF8String.fromString(countedFile);
        count = counts.computeIfAbsent(countedFile, f -> new FileCount());
      }
      CaptureReader r = cursor.record();
      decodingTs = r.timestampNanos();
      int queued = queue.size();
      DecodedPacket p = cursor.decoded();
      decodingTs = null;
      count.record(r.timestampNanos(), p);
      if (deferFragments && p.status() == DecodeStatus.FRAGMENT) {
        while (queue.size() > queued) {
          queue.pollLast();
        }
        queue.add(fragment(r));
      } else if (p.status() == DecodeStatus.OK && p.isTcp() && (filter == null || filter.matchesEitherDirection(p))) {
        queue.add(segment(r, p));
      }
    }
    row = queue.poll();
    return row != null;
  }

  private InternalRow segment(CaptureReader r, DecodedPacket p) {
    Object[] v = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      v[i] = switch (fields[i]) {
        case SegmentColumns.KIND -> UTF8String.fromString(SegmentColumns.SEGMENT);
        case SegmentColumns.KEY -> FlowKey.of(p).encode();
        case SegmentColumns.FROM_A -> TcpSegment.isFromA(p);
        case SegmentColumns.TS_NS -> r.timestampNanos();
        case SegmentColumns.CAPTURE_FILE -> countedFileUtf8;
        case SegmentColumns.RECORD_INDEX -> r.recordOffset();
        case SegmentColumns.SEQ -> p.tcpSeq();
        case SegmentColumns.ACK -> p.tcpAck();
        case SegmentColumns.FLAGS -> p.tcpFlags();
        case SegmentColumns.WINDOW -> p.tcpWindow();
        case SegmentColumns.WSCALE -> p.tcpWindowScale();
        case SegmentColumns.PAYLOAD -> {
          int off = Math.max(0, p.payloadOffset());
          yield Arrays.copyOfRange(p.buffer(), off, off + p.payloadLength());
        }
        case SegmentColumns.PAYLOAD_WIRE_LEN -> p.payloadWireLength();
        case SegmentColumns.FRAME_LEN -> r.origlen();
        case SegmentColumns.CAPLEN -> r.caplen();
        case SegmentColumns.SRC_MAC -> p.srcMac();
        case SegmentColumns.DST_MAC -> p.dstMac();
        default -> null;
      };
    }
    return new GenericInternalRow(v);
  }

  private InternalRow fragment(CaptureReader r) {
    Object[] v = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      v[i] = switch (fields[i]) {
        case SegmentColumns.KIND -> UTF8String.fromString(SegmentColumns.FRAGMENT);
        case SegmentColumns.CAPTURE_FILE -> countedFileUtf8;
        case SegmentColumns.RECORD_INDEX -> r.recordOffset();
        case SegmentColumns.LAST_TS_NS -> r.timestampNanos();
        case SegmentColumns.PAYLOAD -> {
          int off = r.dataOffset();
          yield Arrays.copyOfRange(r.data(), off, off + Math.max(0, Math.min(r.caplen(), r.data().length - off)));
        }
        case SegmentColumns.FRAME_LEN -> r.origlen();
        case SegmentColumns.CAPLEN -> r.caplen();
        case SegmentColumns.LINK_TYPE -> r.linkType();
        case SegmentColumns.FCS_LEN -> r.fcsLength();
        default -> null;
      };
    }
    return new GenericInternalRow(v);
  }

  private InternalRow problem(String file, long offset, String reason, String detail) {
    Object[] v = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      v[i] = switch (fields[i]) {
        case SegmentColumns.KIND -> UTF8String.fromString(SegmentColumns.PROBLEM);
        case SegmentColumns.CAPTURE_FILE -> UTF8String.fromString(file);
        case SegmentColumns.RECORD_INDEX -> offset < 0 ? null : offset;
        case SegmentColumns.TS_NS -> decodingTs;
        case SegmentColumns.LAYER -> UTF8String.fromString(AnomalyRecord.layerOf(reason));
        case SegmentColumns.REASON -> UTF8String.fromString(reason);
        case SegmentColumns.DETAIL -> detail == null ? null : UTF8String.fromString(detail);
        default -> null;
      };
    }
    return new GenericInternalRow(v);
  }

  private void flushCounts() {
    for (Map.Entry<String, FileCount> e : counts.entrySet()) {
      FileCount c = e.getValue();
      RecordAccount a = c.account;
      if (a.read() == 0) {
        continue;
      }
      UTF8String file = UTF8String.fromString(e.getKey());
      Object[] v = new Object[fields.length];
      for (int i = 0; i < fields.length; i++) {
        v[i] = switch (fields[i]) {
          case SegmentColumns.KIND -> UTF8String.fromString(SegmentColumns.COUNT);
          case SegmentColumns.CAPTURE_FILE -> file;
          case SegmentColumns.RECORDS -> a.packets();
          case SegmentColumns.RECORDS_READ -> a.read();
          case SegmentColumns.RECORDS_OK -> a.recordsOk();
          case SegmentColumns.RECORDS_UNSUPPORTED -> a.unsupported();
          case SegmentColumns.RECORDS_BAD -> a.recordsBad();
          case SegmentColumns.TS_NS -> c.minTs <= c.maxTs ? c.minTs : null;
          case SegmentColumns.LAST_TS_NS -> c.minTs <= c.maxTs ? c.maxTs : null;
          default -> null;
        };
      }
      queue.add(new GenericInternalRow(v));
    }
    counts.clear();
  }

  @Override
  public InternalRow get() {
    return row;
  }

  @Override
  public void close() {
    cursor.close();
  }

  /** One file's counts in this task: record accounting and the earliest and latest record time. */
  private static final class FileCount {
    final RecordAccount account = new RecordAccount();
    long minTs = Long.MAX_VALUE;
    long maxTs = Long.MIN_VALUE;

    void record(long ts, DecodedPacket p) {
      account.decoded(p);
      minTs = Math.min(minTs, ts);
      maxTs = Math.max(maxTs, ts);
    }
  }
}
