package io.pcaplake.filter;

/**
 * A capture-filter expression that does not parse. {@link #getMessage()} reads
 * {@code "<reason> at column <n>"}; {@link #position()} is the 0-based character offset of the offending token
 * (the expression's length when the expression ended too early), and {@link #pointer()} draws it for a terminal.
 */
public final class FilterSyntaxException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String expression;
  private final int position;
  private final String reason;

  FilterSyntaxException(String reason, String expression, int position) {
    super(reason + " at column " + (position + 1));
    this.reason = reason;
    this.expression = expression;
    this.position = position;
  }

  /** The whole expression that failed. */
  public String expression() {
    return expression;
  }

  /** 0-based character offset of the problem in {@link #expression()}. */
  public int position() {
    return position;
  }

  /** The reason without the position. */
  public String reason() {
    return reason;
  }

  /** Two lines: the expression, then a caret under the problem. */
  public String pointer() {
    return expression + "\n" + " ".repeat(Math.max(0, position)) + "^";
  }
}
