package io.pcaplake.spark.report;

import java.util.ArrayList;
import java.util.List;

/** A small HTML table builder: header cells, then rows of cells; every cell's text is escaped. */
final class HtmlTable {
  private final String id;
  private final List<String> headers;
  private final List<boolean[]> numeric = new ArrayList<>();
  private final List<List<String>> rows = new ArrayList<>();

  HtmlTable(String id, String... headers) {
    this.id = id;
    this.headers = List.of(headers);
  }

  /** Adds a row; a {@link Number} cell is right-aligned, null is an empty cell. */
  HtmlTable row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
    }
    List<String> text = new ArrayList<>();
    boolean[] num = new boolean[cells.length];
    for (int i = 0; i < cells.length; i++) {
      Object c = cells[i];
      num[i] = c instanceof Number;
      text.add(c instanceof Double d ? SvgChart.number(Math.round(d * 10) / 10.0) : c == null ? "" : c.toString());
    }
    rows.add(text);
    numeric.add(num);
    return this;
  }

  String html() {
    StringBuilder sb = new StringBuilder(256 + rows.size() * 128);
    sb.append("<table id=\"").append(Html.escape(id)).append("\"><thead><tr>");
    for (String h : headers) {
      sb.append("<th>").append(Html.escape(h)).append("</th>");
    }
    sb.append("</tr></thead><tbody>");
    for (int r = 0; r < rows.size(); r++) {
      sb.append("<tr>");
      for (int i = 0; i < headers.size(); i++) {
        sb.append(numeric.get(r)[i] ? "<td class=\"n\">" : "<td>").append(Html.escape(rows.get(r).get(i)))
            .append("</td>");
      }
      sb.append("</tr>");
    }
    return sb.append("</tbody></table>").toString();
  }
}
