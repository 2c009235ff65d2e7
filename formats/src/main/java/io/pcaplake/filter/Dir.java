package io.pcaplake.filter;

/** tcpdump's direction qualifier. */
enum Dir {
  /** {@code src} */
  SRC("src "),
  /** {@code dst} */
  DST("dst "),
  /** {@code src or dst}, also the default. */
  EITHER(""),
  /** {@code src and dst} */
  BOTH("src and dst ");

  final String text;

  Dir(String text) {
    this.text = text;
  }

  boolean combine(boolean src, boolean dst) {
    return switch (this) {
      case SRC -> src;
      case DST -> dst;
      case EITHER -> src || dst;
      case BOTH -> src && dst;
    };
  }
}
