package io.pcaplake.spark.sql;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQL notebook: a plain {@code .sql} file whose {@code --} comments are markdown prose and whose statements run in
 * order (Databricks' {@code -- Databricks notebook source} and {@code -- COMMAND ----------} lines are ignored).
 * Parameters are declared in comments and referenced as {@code ${name}} in the SQL:
 *
 * <pre>
 * -- @param token_fp string = 42c407e88f7f719f4d5b95ccca626457 | auth_token_fp to look for
 * -- @param day date = 2024-03-13
 * SELECT ... WHERE auth_token_fp = ${token_fp} AND dt = ${day}
 * </pre>
 *
 * <p>A value is substituted as a SQL literal of the declared type, never as raw text: {@code string} as a quoted
 * string with {@code \} and {@code '} escaped; {@code int} and {@code double} only when they parse as numbers;
 * {@code date} ({@code YYYY-MM-DD}) as {@code DATE'...'}; {@code timestamp} (ISO-8601 with zone, e.g.
 * {@code 2024-03-12T09:30:00Z}) as {@code TIMESTAMP'...'} in UTC. A default (after {@code =}, unquoted) is optional;
 * text after {@code |} describes the parameter.
 */
public record Notebook(String name, String title, List<Param> params, List<SqlScript.Cell> cells) {
  static final Pattern PARAM = Pattern.compile(
      "@param\\s+([A-Za-z_][A-Za-z0-9_]*)\\s+(string|int|double|date|timestamp)\\s*(?:=\\s*([^|]*?))?\\s*(?:\\|\\s*(.*))?");
  static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");
  static final Pattern IGNORED = Pattern.compile("Databricks notebook source|COMMAND -+|MAGIC .*");

  public Notebook {
    params = List.copyOf(params);
    cells = List.copyOf(cells);
  }

  /** Parameter types. */
  public enum Type { string, int_, double_, date, timestamp;

    static Type of(String s) {
      return switch (s) {
        case "int" -> int_;
        case "double" -> double_;
        default -> valueOf(s);
      };
    }

    public String sqlName() {
      return name().replace("_", "");
    }
  }

  /**
   * A declared parameter.
   *
   * @param defaultValue the default as written (null: the parameter must be given)
   */
  public record Param(String name, Type type, String defaultValue, String doc) { }

  /** Thrown for a bad parameter: unknown, missing, not of its type, or a reference to an undeclared one. */
  public static final class ParamException extends IllegalArgumentException {
    ParamException(String message) {
      super(message);
    }
  }

  public static Notebook parse(String name, String text) {
    List<Param> params = new ArrayList<>();
    List<SqlScript.Cell> cells = new ArrayList<>();
    String title = null;
    for (SqlScript.Cell c : SqlScript.parse(text)) {
      List<String> prose = new ArrayList<>();
      for (String line : c.prose()) {
        String t = line.strip();
        Matcher m = PARAM.matcher(t);
        if (m.matches()) {
          String def = m.group(3) == null || m.group(3).isEmpty() ? null : m.group(3);
          params.add(new Param(m.group(1), Type.of(m.group(2)), def, m.group(4) == null ? "" : m.group(4).strip()));
          if (def != null) {
            literal(params.get(params.size() - 1), def); // a bad default is the notebook's error
          }
        } else if (t.startsWith("@param")) {
          throw new ParamException(name + ": bad parameter declaration '" + t
              + "' (expected: @param NAME string|int|double|date|timestamp [= DEFAULT] [| description])");
        } else if (!IGNORED.matcher(t).matches()) {
          if (title == null && t.startsWith("# ")) {
            title = t.substring(2).strip();
          }
          prose.add(line);
        }
      }
      while (!prose.isEmpty() && prose.get(prose.size() - 1).isBlank()) {
        prose.remove(prose.size() - 1);
      }
      while (!prose.isEmpty() && prose.get(0).isBlank()) {
        prose.remove(0);
      }
      if (c.sql() != null || !prose.isEmpty()) {
        cells.add(new SqlScript.Cell(prose, c.sql(), c.line()));
      }
    }
    for (SqlScript.Cell c : cells) {
      if (c.sql() != null) {
        Matcher m = REFERENCE.matcher(c.sql());
        while (m.find()) {
          String ref = m.group(1);
          if (params.stream().noneMatch(p -> p.name().equals(ref))) {
            throw new ParamException(name + ": line " + c.line() + " references ${" + ref + "}, not declared with"
                + " -- @param");
          }
        }
      }
    }
    return new Notebook(name, title == null ? name : title, params, cells);
  }

  /** Every parameter's value as text: the given ones, else the defaults. */
  public Map<String, String> values(Map<String, String> given) {
    for (String k : given.keySet()) {
      if (params.stream().noneMatch(p -> p.name().equals(k))) {
        throw new ParamException("unknown parameter '" + k + "' (" + name + " declares: " + names() + ")");
      }
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Param p : params) {
      String v = given.containsKey(p.name()) ? given.get(p.name()) : p.defaultValue();
      if (v == null) {
        throw new ParamException("parameter '" + p.name() + "' has no default: give --param " + p.name() + "=...");
      }
      literal(p, v);
      out.put(p.name(), v);
    }
    return out;
  }

  /** The statement with every {@code ${name}} replaced by the value's SQL literal. */
  public String bind(String sql, Map<String, String> values) {
    Matcher m = REFERENCE.matcher(sql);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      Param p = params.stream().filter(q -> q.name().equals(m.group(1))).findFirst().orElseThrow();
      m.appendReplacement(sb, Matcher.quoteReplacement(literal(p, values.get(p.name()))));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private String names() {
    return params.isEmpty() ? "no parameters" : String.join(", ", params.stream().map(Param::name).toList());
  }

  /** A value as a SQL literal of the parameter's type. */
  static String literal(Param p, String v) {
    String s = v.strip();
    try {
      return switch (p.type()) {
        case string -> quote(v);
        case int_ -> Long.toString(Long.parseLong(s));
        case double_ -> {
          double d = Double.parseDouble(s);
          if (!Double.isFinite(d) || !s.matches("[-+]?[0-9.eE+-]+")) {
            throw new NumberFormatException(s);
          }
          yield "CAST(" + d + " AS DOUBLE)";
        }
        case date -> "DATE'" + LocalDate.parse(s) + "'";
        case timestamp -> "TIMESTAMP'" + Instant.parse(s).toString().replace("T", " ").replace("Z", "") + "+00:00'";
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new ParamException("parameter '" + p.name() + "' is a " + p.type().sqlName() + ", got '" + v + "'");
    }
  }

  /** A Spark SQL string literal: backslash and quote escaped (Spark unescapes backslash sequences in literals). */
  static String quote(String v) {
    StringBuilder sb = new StringBuilder("'");
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\'' -> sb.append("\\'");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        default -> sb.append(c);
      }
    }
    return sb.append('\'').toString();
  }
}
