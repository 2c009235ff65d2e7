package io.pcaplake.packet;

import io.pcaplake.capture.ProblemSink;
import java.util.ArrayList;
import java.util.List;

/** Collects reported reason codes. */
final class RecordingSink implements ProblemSink {
  final List<String> reasons = new ArrayList<>();
  final List<String> details = new ArrayList<>();

  @Override
  public void report(String reason, long offset, String detail) {
    reasons.add(reason);
    details.add(detail);
  }

  long count(String reason) {
    return reasons.stream().filter(reason::equals).count();
  }
}
