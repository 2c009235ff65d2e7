package io.pcaplake.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

  /**
   * Found by {@code CaptureFilterFuzzTest} (seed {@code canonical-form-of-a-long-chain}): the fully parenthesized
   * form of a chain of more than {@value Parser#MAX_NESTING} operators nests one level per operator, so it did not
   * parse again. Such a filter now prints with only the parentheses its grouping needs.
   */
  @Test
  void theCanonicalFormOfALongChainParsesAgain() throws Exception {
    String chain = String.join(" or ", java.util.Collections.nCopies(Parser.MAX_PRIMITIVES, "port 80"));
    String mixed = "not (tcp or udp) and " + String.join(" and ", java.util.Collections.nCopies(100,
        "(host 10.0.0.1 or not port 22)")) + " or !" + "!".repeat(Parser.MAX_NESTING - 3) + "ip6";
    for (String expr : new String[] {chain, mixed}) {
      CaptureFilter f = CaptureFilter.parse(expr);
      CaptureFilter again = CaptureFilter.parse(f.toString());
      assertEquals(f.toString(), again.toString(), "the same grouping (each printed form has one parse)");
    }
    assertTrue(CaptureFilter.parse(chain).toString().startsWith("port 80 or port 80"));
    // Within the limit the documented fully parenthesized form is kept.
    assertEquals("((not tcp and port 80) or udp)", CaptureFilter.parse("! tcp && port 80 || udp").toString());
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
