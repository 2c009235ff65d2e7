package io.pcaplake.cli;

import io.pcaplake.filter.CaptureFilter;
import io.pcaplake.filter.FilterSyntaxException;

/** A capture-filter argument checked before any work starts: a bad one is reported with a caret, exit status 2. */
final class FilterArgument {
  private FilterArgument() { }

  /**
   * Parses {@code expr}; on a syntax error prints {@code pcaplake COMMAND: bad WHAT: message} and the pointer line to
   * stderr and returns null.
   */
  static CaptureFilter parse(String command, String what, String expr) {
    try {
      return CaptureFilter.parse(expr);
    } catch (FilterSyntaxException e) {
      System.err.println("pcaplake " + command + ": bad " + what + ": " + e.getMessage());
      System.err.println(e.pointer());
      return null;
    }
  }
}
