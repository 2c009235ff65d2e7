package io.pcaplake.tcp;

/**
 * Zeek's connection history, recorded per endpoint (A/B) and rendered once the client is known: upper case for
 * the client (originator). Repeat rules: {@code a d i q} once per side; {@code s h f r} again only when the
 * sequence number differs from that letter's last one; {@code g t w} when the side's count of the event reaches
 * 1, 10, 100, 1000 ... (Zeek's logarithmic rule).
 */
final class History {
  private final int max;
  private final StringBuilder letters = new StringBuilder(16);
  /** Per side (0 = A, 1 = B): bit set of once-letters, last seq per repeat letter, counts per log letter. */
  private final int[] once = new int[2];
  private final long[][] lastSeq = new long[2][4];
  private final long[][] counts = new long[2][3];

  History(int max) {
    this.max = max;
    for (long[] l : lastSeq) {
      java.util.Arrays.fill(l, -1);
    }
  }

  /** {@code letter} in lower case. */
  void once(boolean fromA, char letter) {
    int side = fromA ? 0 : 1;
    int bit = 1 << (letter - 'a');
    if ((once[side] & bit) == 0) {
      once[side] |= bit;
      add(fromA, letter);
    }
  }

  /** For s, h, f, r. */
  void withSeq(boolean fromA, char letter, long seq) {
    int side = fromA ? 0 : 1;
    int i = "shfr".indexOf(letter);
    if (lastSeq[side][i] != seq) {
      lastSeq[side][i] = seq;
      add(fromA, letter);
    }
  }

  /** For g, t, w. */
  void counted(boolean fromA, char letter) {
    int side = fromA ? 0 : 1;
    int i = "gtw".indexOf(letter);
    long c = ++counts[side][i];
    long p = 1;
    while (p < c) {
      p *= 10;
    }
    if (p == c) {
      add(fromA, letter);
    }
  }

  private void add(boolean fromA, char letter) {
    if (letters.length() < max) {
      letters.append(fromA ? Character.toUpperCase(letter) : letter);
    }
  }

  /** Letters with the client in upper case; {@code ^} first when the client did not send the first packet. */
  String render(boolean clientIsA, boolean flipped) {
    StringBuilder out = new StringBuilder(letters.length() + 1);
    if (flipped) {
      out.append('^');
    }
    for (int i = 0; i < letters.length(); i++) {
      char c = letters.charAt(i);
      out.append(clientIsA ? c : Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
    }
    return out.toString();
  }
}
