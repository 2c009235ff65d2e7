package io.pcaplake.packet;

import io.pcaplake.capture.ProblemSink;

final class ProblemSinks {
  static final ProblemSink NONE = ProblemSink.IGNORE;

  private ProblemSinks() { }
}
