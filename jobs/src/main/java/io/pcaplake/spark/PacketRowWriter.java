package io.pcaplake.spark;

import io.pcaplake.capture.CaptureReader;
import io.pcaplake.packet.DecodedPacket;
import java.util.Arrays;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Builds one row for the required (pruned) columns only: unselected columns are never computed, and when no
 * selected column needs the decoder the record is not decoded at all. The decoder's -1/0 "absent" markers become
 * nulls.
 */
final class PacketRowWriter {
  private final PacketColumn[] columns;
  private final boolean needsDecode;
  private String lastFile;
  private UTF8String lastFileUtf8;

  PacketRowWriter(StructType required) {
    columns = Arrays.stream(required.fieldNames()).map(PacketColumn::byName).toArray(PacketColumn[]::new);
    needsDecode = Arrays.stream(columns).anyMatch(c -> c.decoded);
  }

  /** Whether any required column needs the packet decoder. */
  boolean needsDecode() {
    return needsDecode;
  }

  InternalRow write(CaptureCursor cursor) {
    CaptureReader r = cursor.record();
    DecodedPacket p = needsDecode ? cursor.decoded() : null;
    Object[] v = new Object[columns.length];
    for (int i = 0; i < columns.length; i++) {
      v[i] = switch (columns[i]) {
        case CAPTURE_FILE -> file(cursor.file());
        case RECORD_INDEX -> r.recordOffset();
        case TS -> Math.floorDiv(r.timestampNanos(), 1000L);
        case TS_NS -> r.timestampNanos();
        case LINK_TYPE -> r.linkType();
        case CAPLEN -> r.caplen();
        case LEN -> r.origlen();
        case IP_VERSION -> p.ipVersion() == 0 ? null : p.ipVersion();
        case SRC_IP -> utf8(p.srcIp());
        case DST_IP -> utf8(p.dstIp());
        case PROTOCOL -> orNull(p.protocol());
        case SRC_PORT -> orNull(p.srcPort());
        case DST_PORT -> orNull(p.dstPort());
        case TCP_SEQ -> p.isTcp() ? orNull(p.tcpSeq()) : null;
        case TCP_ACK -> p.isTcp() ? orNull(p.tcpAck()) : null;
        case TCP_FLAGS -> p.isTcp() ? orNull(p.tcpFlags()) : null;
        case TCP_WINDOW -> p.isTcp() ? orNull(p.tcpWindow()) : null;
        case PAYLOAD_LEN -> p.payloadOffset() < 0 ? null : p.payloadWireLength();
        case VLAN -> orNull(p.vlan());
        case TTL -> orNull(p.ttl());
        case FRAGMENT -> p.ipVersion() == 0 ? null : p.fragment();
        case DECODE_STATUS -> UTF8String.fromString(p.status().code());
        case PAYLOAD -> p.payloadOffset() < 0 ? null
            : Arrays.copyOfRange(p.buffer(), p.payloadOffset(), p.payloadOffset() + p.payloadLength());
      };
    }
    return new GenericInternalRow(v);
  }

  private UTF8String file(String f) {
    if (!f.equals(lastFile)) {
      lastFile = f;
      lastFileUtf8 = UTF8String.fromString(f);
    }
    return lastFileUtf8;
  }

  private static UTF8String utf8(String s) {
    return s == null ? null : UTF8String.fromString(s);
  }

  private static Integer orNull(int v) {
    return v < 0 ? null : v;
  }

  private static Long orNull(long v) {
    return v < 0 ? null : v;
  }
}
