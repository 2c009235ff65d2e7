package io.pcaplake.spark.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SQL script into statements at {@code ;} outside quotes ({@code '...'}, {@code "..."}, {@code `...`})
 * and comments ({@code -- ...} to the end of the line, {@code /* ... *}{@code /}). The {@code --} comment lines
 * before a statement are its prose (the text after {@code --} and one space); comments inside a statement stay in
 * its SQL. A statement of only comments is dropped; prose after the last statement is a cell without SQL.
 */
public final class SqlScript {

  /**
   * One statement and the comment lines before it.
   *
   * @param prose the {@code --} comment lines before the statement, without the {@code --} and one space
   * @param sql the statement without its {@code ;}, trimmed; null for prose after the last statement
   * @param line the 1-based line where the statement starts (of the prose when there is no statement)
   */
  public record Cell(List<String> prose, String sql, int line) {
    public Cell {
      prose = List.copyOf(prose);
    }
  }

  private SqlScript() { }

  /** The statements of a script, without prose. */
  public static List<String> statements(String script) {
    List<String> out = new ArrayList<>();
    for (Cell c : parse(script)) {
      if (c.sql() != null) {
        out.add(c.sql());
      }
    }
    return out;
  }

  public static List<Cell> parse(String script) {
    List<Cell> cells = new ArrayList<>();
    List<String> prose = new ArrayList<>();
    StringBuilder sql = new StringBuilder();
    boolean code = false;
    int line = 1;
    int startLine = 1;
    int n = script.length();
    int i = 0;
    while (i < n) {
      char c = script.charAt(i);
      if (c == '-' && i + 1 < n && script.charAt(i + 1) == '-') {
        int end = script.indexOf('\n', i);
        end = end < 0 ? n : end;
        String text = script.substring(i + 2, end);
        if (code) {
          sql.append(script, i, end);
        } else {
          if (prose.isEmpty()) {
            startLine = line;
          }
          text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
          prose.add(text.startsWith(" ") ? text.substring(1) : text);
        }
        i = end;
      } else if (c == '/' && i + 1 < n && script.charAt(i + 1) == '*') {
        int end = script.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        String block = script.substring(i, end);
        line += count(block);
        if (code) {
          sql.append(block);
        }
        i = end;
      } else if (c == '\'' || c == '"' || c == '`') {
        int end = closing(script, i);
        if (!code) {
          code = true;
          startLine = prose.isEmpty() ? line : startLine;
        }
        String quoted = script.substring(i, end);
        line += count(quoted);
        sql.append(quoted);
        i = end;
      } else if (c == ';') {
        if (code) {
          cells.add(new Cell(prose, sql.toString().trim(), startLine));
          prose.clear();
        }
        sql.setLength(0);
        code = false;
        i++;
      } else {
        if (c == '\n') {
          line++;
        }
        if (!code && !Character.isWhitespace(c)) {
          code = true;
          startLine = prose.isEmpty() ? line : startLine;
        }
        if (code) {
          sql.append(c);
        }
        i++;
      }
    }
    if (code) {
      cells.add(new Cell(prose, sql.toString().trim(), startLine));
    } else if (!prose.isEmpty()) {
      cells.add(new Cell(prose, null, startLine));
    }
    return cells;
  }

  /** Index after the quote that closes the one at {@code start} (a doubled quote or a backslash escapes). */
  private static int closing(String s, int start) {
    char q = s.charAt(start);
    int i = start + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\' && q != '`') {
        i += 2;
      } else if (c == q) {
        if (i + 1 < s.length() && s.charAt(i + 1) == q) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return s.length();
  }

  private static int count(String s) {
    int k = 0;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\n') {
        k++;
      }
    }
    return k;
  }
}
