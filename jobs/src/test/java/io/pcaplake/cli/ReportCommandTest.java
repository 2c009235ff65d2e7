package io.pcaplake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestSpark;
import io.pcaplake.spark.report.ReportOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pcaplake report}: a bad date is a usage error before Spark starts; the printed line per day. */
class ReportCommandTest {
  @TempDir Path dir;

  @Test
  void aBadDateIsAUsageError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = Main.execute("report", "--lake", dir.toString(), "--date", "2024-02-30");
    } finally {
      System.setErr(old);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, code, text);
    assertTrue(text.contains("not a date (YYYY-MM-DD): '2024-02-30'"), text);
    assertFalse(Files.exists(dir.resolve("reports")), "nothing written");
  }

  @Test
  void printsOneLinePerDayAndDefaultsToYesterday() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ReportCommand.run(TestSpark.get(), new ReportOptions(dir.toString(), List.of(), false,
        Instant.parse("2026-11-29T01:00:00Z"), "t"), new PrintStream(out, true, StandardCharsets.UTF_8));
    assertEquals("2026-11-28  " + dir.resolve("reports/dt=2026-11-28") + "/report.html  no data\n",
        out.toString(StandardCharsets.UTF_8));
    assertTrue(Files.isRegularFile(dir.resolve("reports/dt=2026-11-28/report.html")));
  }
}
