package io.pcaplake.cli;

import java.io.PrintStream;
import io.pcaplake.spark.sql.Values;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Prints query rows as an aligned text table: a header, a dashed rule, one line per row; numbers right-aligned,
 * timestamps as UTC ISO-8601 (whatever the session time zone), nulls as {@code NULL}, arrays and structs readable
 * ({@link Values#text}); a cell's line breaks print as {@code \n} so a row stays one line.
 */
final class TextTable {
  private TextTable() { }

  static void print(String[] names, List<Row> rows, PrintStream out, String indent) {
    int n = names.length;
    List<String[]> cells = new ArrayList<>();
    int[] width = new int[n];
    boolean[] right = new boolean[n];
    for (int i = 0; i < n; i++) {
      width[i] = names[i].length();
    }
    for (Row r : rows) {
      String[] c = new String[n];
      for (int i = 0; i < n; i++) {
        Object v = r.get(i);
        c[i] = text(v).replace("\r", "\\r").replace("\n", "\\n");
        right[i] |= v instanceof Number;
        width[i] = Math.max(width[i], c[i].length());
      }
      cells.add(c);
    }
    out.println(indent + line(names, width, right));
    String[] rule = new String[n];
    for (int i = 0; i < n; i++) {
      rule[i] = "-".repeat(width[i]);
    }
    out.println(indent + line(rule, width, right));
    for (String[] c : cells) {
      out.println(indent + line(c, width, right));
    }
    out.println(indent + "(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
  }

  /** A value as text ({@link Values#text}): arrays, structs and headers readable, timestamps in UTC. */
  static String text(Object v) {
    return Values.text(v);
  }

  private static String line(String[] c, int[] width, boolean[] right) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < c.length; i++) {
      if (i > 0) {
        sb.append("  ");
      }
      String pad = " ".repeat(width[i] - c[i].length());
      sb.append(right[i] ? pad + c[i] : i == c.length - 1 ? c[i] : c[i] + pad);
    }
    return sb.toString();
  }
}
