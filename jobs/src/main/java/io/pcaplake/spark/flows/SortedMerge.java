package io.pcaplake.spark.flows;

import static io.pcaplake.spark.SegmentColumns.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Merges two row streams that Spark sorted by (key, ts_ns, capture_file, record_index), ascending with nulls first,
 * into one in the same order. The comparison is Spark's: binary and string columns by unsigned bytes (strings as
 * UTF-8), longs by value. When one side is empty (the usual case: a capture without fragments) the other is passed
 * through untouched.
 */
final class SortedMerge implements Iterator<Row> {
  private final Iterator<Row> a;
  private final Iterator<Row> b;
  private final int key;
  private final int ts;
  private final int file;
  private final int record;
  private Row headA;
  private Row headB;

  private SortedMerge(Iterator<Row> a, Iterator<Row> b, StructType schema) {
    this.a = a;
    this.b = b;
    key = schema.fieldIndex(KEY);
    ts = schema.fieldIndex(TS_NS);
    file = schema.fieldIndex(CAPTURE_FILE);
    record = schema.fieldIndex(RECORD_INDEX);
  }

  static Iterator<Row> of(Iterator<Row> a, Iterator<Row> b, StructType schema) {
    if (!b.hasNext()) {
      return a;
    }
    if (!a.hasNext()) {
      return b;
    }
    return new SortedMerge(a, b, schema);
  }

  @Override
  public boolean hasNext() {
    return headA != null || headB != null || a.hasNext() || b.hasNext();
  }

  @Override
  public Row next() {
    if (headA == null && a.hasNext()) {
      headA = a.next();
    }
    if (headB == null && b.hasNext()) {
      headB = b.next();
    }
    if (headA == null && headB == null) {
      throw new NoSuchElementException();
    }
    Row out;
    if (headB == null || headA != null && compare(headA, headB) <= 0) {
      out = headA;
      headA = null;
    } else {
      out = headB;
      headB = null;
    }
    return out;
  }

  int compare(Row x, Row y) {
    int c = compareNullsFirst(x, y, key);
    if (c != 0) {
      return c;
    }
    c = compareNullsFirst(x, y, ts);
    if (c != 0) {
      return c;
    }
    c = compareNullsFirst(x, y, file);
    return c != 0 ? c : compareNullsFirst(x, y, record);
  }

  private static int compareNullsFirst(Row x, Row y, int i) {
    boolean nx = x.isNullAt(i);
    boolean ny = y.isNullAt(i);
    if (nx || ny) {
      return nx == ny ? 0 : nx ? -1 : 1;
    }
    Object u = x.get(i);
    Object v = y.get(i);
    if (u instanceof byte[] p) {
      return Arrays.compareUnsigned(p, (byte[]) v);
    }
    if (u instanceof String s) {
      return Arrays.compareUnsigned(s.getBytes(StandardCharsets.UTF_8), ((String) v).getBytes(StandardCharsets.UTF_8));
    }
    return Long.compare((Long) u, (Long) v);
  }
}
