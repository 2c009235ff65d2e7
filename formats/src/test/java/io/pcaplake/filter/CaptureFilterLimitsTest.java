package io.pcaplake.filter;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Hostile filter expressions: nesting and length limits ({@code docs/limits.md}) turn what used to be a
 * StackOverflowError in the recursive parser (or later in the matcher) into a syntax error.
 */
class CaptureFilterLimitsTest {

  @Test
  void deepParenthesesAreASyntaxErrorNotAStackOverflow() throws Exception {
    int n = Parser.MAX_NESTING;
    CaptureFilter ok = CaptureFilter.parse("(".repeat(n) + "tcp" + ")".repeat(n));
    assertFalse(ok.matchesAll());
    FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
        () -> CaptureFilter.parse("(".repeat(200_000) + "tcp" + ")".repeat(200_000)));
    assertTrue(e.getMessage().contains("nested deeper than " + n), e.getMessage());
    assertThrows(FilterSyntaxException.class, () -> CaptureFilter.parse("(".repeat(n + 1) + "tcp" + ")".repeat(n + 1)));
  }

  @Test
  void longNotChainsAreASyntaxError() throws Exception {
    CaptureFilter.parse("not ".repeat(Parser.MAX_NESTING) + "tcp");
    FilterSyntaxException e = assertThrows(FilterSyntaxException.class,
        () -> CaptureFilter.parse("not ".repeat(200_000) + "tcp"));
    assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
  }

  @Test
  void tooManyPrimitivesAreASyntaxError() throws Exception {
    String ok = String.join(" or ", java.util.Collections.nCopies(Parser.MAX_PRIMITIVES, "port 80"));
    CaptureFilter.parse(ok);
    String tooMany = String.join(" or ", java.util.Collections.nCopies(200_000, "port 80"));
    FilterSyntaxException e = assertThrows(FilterSyntaxException.class, () -> CaptureFilter.parse(tooMany));
    assertTrue(e.getMessage().contains("more than " + Parser.MAX_PRIMITIVES + " primitives"), e.getMessage());
  }
}
