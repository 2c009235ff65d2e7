package io.pcaplake.spark.sql;

import io.pcaplake.report.JsonStrings;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

/**
 * Renders the values of collected Spark rows as text and as JSON. Timestamps are UTC ISO-8601
 * ({@code 2024-03-12T10:00:39.448758Z}) whatever the session or JVM time zone; {@code TIMESTAMP_NTZ} values print
 * without a zone; binary is base64. As text: null is {@code NULL}, an array {@code [a, b]}, a struct
 * {@code {f=v, g=w}} except a header ({@code name}, {@code value}) which prints as {@code name: value}, a map
 * {@code {k=v}}. As JSON: arrays, objects (struct fields and map keys by name), numbers (NaN and infinities as
 * strings), strings.
 */
public final class Values {
  private Values() { }

  public static String text(Object v) {
    StringBuilder sb = new StringBuilder();
    text(v, sb);
    return sb.toString();
  }

  private static void text(Object v, StringBuilder sb) {
    if (v == null) {
      sb.append("NULL");
    } else if (v instanceof Timestamp t) {
      sb.append(t.toInstant());
    } else if (v instanceof Instant || v instanceof LocalDateTime) {
      sb.append(v);
    } else if (v instanceof byte[] b) {
      sb.append(Base64.getEncoder().encodeToString(b));
    } else if (v instanceof Row r) {
      StructField[] f = r.schema() == null ? null : r.schema().fields();
      if (f != null && f.length == 2 && f[0].name().equals("name") && f[1].name().equals("value")) {
        text(r.get(0), sb);
        sb.append(": ");
        text(r.get(1), sb);
        return;
      }
      sb.append('{');
      for (int i = 0; i < r.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(f == null ? "_" + (i + 1) : f[i].name()).append('=');
        text(r.get(i), sb);
      }
      sb.append('}');
    } else if (v instanceof scala.collection.Map<?, ?> m) {
      sb.append('{');
      scala.collection.Iterator<?> it = m.iterator();
      boolean first = true;
      while (it.hasNext()) {
        scala.Tuple2<?, ?> e = (scala.Tuple2<?, ?>) it.next();
        sb.append(first ? "" : ", ");
        first = false;
        text(e._1(), sb);
        sb.append('=');
        text(e._2(), sb);
      }
      sb.append('}');
    } else if (v instanceof scala.collection.Iterable<?> s) {
      sb.append('[');
      scala.collection.Iterator<?> it = s.iterator();
      boolean first = true;
      while (it.hasNext()) {
        sb.append(first ? "" : ", ");
        first = false;
        text(it.next(), sb);
      }
      sb.append(']');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        sb.append(i == 0 ? "" : ", ");
        text(l.get(i), sb);
      }
      sb.append(']');
    } else {
      sb.append(v);
    }
  }

  /** A row as one JSON object, fields by column name. */
  public static String jsonObject(String[] names, Row r) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < names.length; i++) {
      sb.append(i == 0 ? "" : ",");
      string(names[i], sb);
      sb.append(':');
      json(r.get(i), sb);
    }
    return sb.append('}').toString();
  }

  static void json(Object v, StringBuilder sb) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
        || v instanceof Byte || v instanceof java.math.BigDecimal) {
      sb.append(v instanceof java.math.BigDecimal d ? d.toPlainString() : v.toString());
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isFinite(d)) {
        sb.append(v);
      } else {
        string(v.toString(), sb);
      }
    } else if (v instanceof Row r) {
      StructField[] f = r.schema() == null ? null : r.schema().fields();
      sb.append('{');
      for (int i = 0; i < r.size(); i++) {
        sb.append(i == 0 ? "" : ",");
        string(f == null ? "_" + (i + 1) : f[i].name(), sb);
        sb.append(':');
        json(r.get(i), sb);
      }
      sb.append('}');
    } else if (v instanceof scala.collection.Map<?, ?> m) {
      sb.append('{');
      scala.collection.Iterator<?> it = m.iterator();
      boolean first = true;
      while (it.hasNext()) {
        scala.Tuple2<?, ?> e = (scala.Tuple2<?, ?>) it.next();
        sb.append(first ? "" : ",");
        first = false;
        string(text(e._1()), sb);
        sb.append(':');
        json(e._2(), sb);
      }
      sb.append('}');
    } else if (v instanceof scala.collection.Iterable<?> s) {
      sb.append('[');
      scala.collection.Iterator<?> it = s.iterator();
      boolean first = true;
      while (it.hasNext()) {
        sb.append(first ? "" : ",");
        first = false;
        json(it.next(), sb);
      }
      sb.append(']');
    } else {
      string(text(v), sb);
    }
  }

  static void string(String s, StringBuilder sb) {
    JsonStrings.quote(s, sb);
  }

  /** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF; quotes doubled; null is empty. */
  public static String csv(Object v) {
    if (v == null) {
      return "";
    }
    String s = text(v);
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
