package io.pcaplake.spark.sql;

import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Renders a {@link NotebookRun} as markdown (the prose as written, each statement in a {@code sql} block, each
 * result as a markdown table) or as one self-contained HTML page (inline CSS, no script, every text escaped; the
 * prose's headings, bullet lists, paragraphs and {@code `code`} rendered).
 */
public final class NotebookReport {
  private NotebookReport() { }

  public static String markdown(NotebookRun run) {
    StringBuilder sb = new StringBuilder();
    Notebook nb = run.notebook();
    boolean titled = !nb.cells().isEmpty() && nb.cells().get(0).prose().stream().anyMatch(l -> l.startsWith("# "));
    if (!titled) {
      sb.append("# ").append(nb.title()).append("\n\n");
    }
    boolean paramsDone = false;
    for (NotebookRun.CellResult c : run.cells()) {
      int split = paramsDone ? 0 : intro(c.prose());
      lines(c.prose().subList(0, split), sb);
      if (!paramsDone) {
        paramsDone = true;
        params(run, sb);
      }
      lines(c.prose().subList(split, c.prose().size()), sb);
      if (c.sql() != null) {
        sb.append("```sql\n").append(c.sql()).append("\n```\n\n");
        if (!c.columns().isEmpty()) {
          table(c, sb);
        }
      }
    }
    return sb.toString();
  }

  /** Where the notebook's introduction ends in the first cell's prose: at its first {@code ##} heading. */
  private static int intro(List<String> prose) {
    for (int i = 0; i < prose.size(); i++) {
      if (prose.get(i).startsWith("## ")) {
        return i;
      }
    }
    return prose.size();
  }

  private static void lines(List<String> prose, StringBuilder sb) {
    int end = prose.size();
    while (end > 0 && prose.get(end - 1).isBlank()) {
      end--;
    }
    if (end > 0) {
      for (String l : prose.subList(0, end)) {
        sb.append(l).append('\n');
      }
      sb.append('\n');
    }
  }

  private static void params(NotebookRun run, StringBuilder sb) {
    sb.append("Lake: `").append(run.lake()).append("`");
    if (!run.notebook().params().isEmpty()) {
      sb.append(". Parameters:\n\n| parameter | value | type | meaning |\n| --- | --- | --- | --- |\n");
      for (Notebook.Param p : run.notebook().params()) {
        sb.append("| ").append(p.name()).append(" | ").append(mdCell(run.values().get(p.name()))).append(" | ")
            .append(p.type().sqlName()).append(" | ").append(mdCell(p.doc())).append(" |\n");
      }
    } else {
      sb.append('\n');
    }
    sb.append('\n');
  }

  private static void table(NotebookRun.CellResult c, StringBuilder sb) {
    List<String> cols = c.columns();
    sb.append('|');
    for (String n : cols) {
      sb.append(' ').append(mdCell(n)).append(" |");
    }
    sb.append("\n|");
    for (int i = 0; i < cols.size(); i++) {
      sb.append(numeric(c, i) ? " ---: |" : " --- |");
    }
    sb.append('\n');
    for (Row r : c.rows()) {
      sb.append('|');
      for (int i = 0; i < cols.size(); i++) {
        sb.append(' ').append(mdCell(Values.text(r.get(i)))).append(" |");
      }
      sb.append('\n');
    }
    sb.append('\n').append(count(c)).append("\n\n");
  }

  private static String count(NotebookRun.CellResult c) {
    int n = c.rows().size();
    return c.truncated() ? "(first " + n + " rows shown)" : "(" + n + (n == 1 ? " row)" : " rows)");
  }

  private static boolean numeric(NotebookRun.CellResult c, int i) {
    for (Row r : c.rows()) {
      Object v = r.get(i);
      if (v != null) {
        return v instanceof Number;
      }
    }
    return false;
  }

  /** A markdown table cell: pipes and backslashes escaped, HTML specials as entities, line breaks as spaces. */
  static String mdCell(String s) {
    return html(s).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
  }

  public static String html(NotebookRun run) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(html(run.notebook().title())).append("</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;max-width:70em;margin:2em auto;padding:0 1em;color:#222}\n")
        .append("pre{background:#f4f4f4;padding:.6em;overflow-x:auto}code{font-family:monospace}\n")
        .append("table{border-collapse:collapse;margin:.5em 0;font-size:90%}\n")
        .append("th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}\n")
        .append("td.n{text-align:right}.count{color:#666;font-size:85%}\n</style></head>\n<body>\n");
    boolean paramsDone = false;
    for (NotebookRun.CellResult c : run.cells()) {
      int split = paramsDone ? 0 : intro(c.prose());
      prose(c.prose().subList(0, split), sb);
      if (!paramsDone) {
        paramsDone = true;
        sb.append("<p>Lake: <code>").append(html(run.lake())).append("</code></p>\n");
        if (!run.notebook().params().isEmpty()) {
          sb.append("<table><tr><th>parameter</th><th>value</th><th>type</th><th>meaning</th></tr>\n");
          for (Notebook.Param p : run.notebook().params()) {
            sb.append("<tr><td>").append(html(p.name())).append("</td><td><code>")
                .append(html(run.values().get(p.name()))).append("</code></td><td>").append(p.type().sqlName())
                .append("</td><td>").append(html(p.doc())).append("</td></tr>\n");
          }
          sb.append("</table>\n");
        }
      }
      prose(c.prose().subList(split, c.prose().size()), sb);
      if (c.sql() != null) {
        sb.append("<pre><code>").append(html(c.sql())).append("</code></pre>\n");
        if (!c.columns().isEmpty()) {
          sb.append("<table><tr>");
          for (String n : c.columns()) {
            sb.append("<th>").append(html(n)).append("</th>");
          }
          sb.append("</tr>\n");
          for (Row r : c.rows()) {
            sb.append("<tr>");
            for (int i = 0; i < c.columns().size(); i++) {
              Object v = r.get(i);
              sb.append(v instanceof Number ? "<td class=\"n\">" : "<td>").append(html(Values.text(v)))
                  .append("</td>");
            }
            sb.append("</tr>\n");
          }
          sb.append("</table>\n<p class=\"count\">").append(html(count(c))).append("</p>\n");
        }
      }
    }
    return sb.append("</body></html>\n").toString();
  }

  /** The few markdown forms the notebooks use: headings, bullet lists, paragraphs, inline code. */
  private static void prose(List<String> lines, StringBuilder sb) {
    boolean inList = false;
    StringBuilder para = new StringBuilder();
    for (String raw : lines) {
      String l = raw.strip();
      boolean bullet = l.startsWith("- ") || l.startsWith("* ");
      boolean heading = l.matches("#{1,6} .*");
      if (l.isEmpty() || bullet || heading) {
        flush(para, sb);
      }
      if (inList && !bullet) {
        sb.append("</ul>\n");
        inList = false;
      }
      if (heading) {
        int level = l.indexOf(' ');
        sb.append("<h").append(level).append('>').append(inline(l.substring(level + 1))).append("</h").append(level)
            .append(">\n");
      } else if (bullet) {
        if (!inList) {
          sb.append("<ul>\n");
          inList = true;
        }
        sb.append("<li>").append(inline(l.substring(2))).append("</li>\n");
      } else if (!l.isEmpty()) {
        para.append(para.length() == 0 ? "" : " ").append(l);
      }
    }
    flush(para, sb);
    if (inList) {
      sb.append("</ul>\n");
    }
  }

  private static void flush(StringBuilder para, StringBuilder sb) {
    if (para.length() > 0) {
      sb.append("<p>").append(inline(para.toString())).append("</p>\n");
      para.setLength(0);
    }
  }

  /** Escapes, then renders {@code `code`} spans and {@code **bold**}. */
  private static String inline(String s) {
    return html(s).replaceAll("`([^`]+)`", "<code>$1</code>").replaceAll("\\*\\*([^*]+)\\*\\*", "<b>$1</b>");
  }

  static String html(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
