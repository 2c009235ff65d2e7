package io.pcaplake;

import io.pcaplake.spark.flows.FlowsJob;
import io.pcaplake.spark.flows.FlowsOptions;
import io.pcaplake.spark.flows.FlowsSummary;
import io.pcaplake.synth.CaptureFiles;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.SampleCapture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The lake of the README's sample capture ({@link SampleCapture} defaults), built once per test JVM by the flows job
 * on {@link TestSpark}'s session and deleted at exit: what {@code pcaplake demo} builds.
 */
public final class SampleLake {
  private SampleLake() { }

  /** The lake, the capture it was built from, and what that capture holds. */
  public record Lake(Path dir, Path capture, SampleCapture.Generated sample, FlowsSummary flows) {
    public SampleCapture.Truth truth() {
      return sample.truth();
    }
  }

  private static Lake lake;

  public static synchronized Lake get() {
    if (lake == null) {
      try {
        Path root = Files.createTempDirectory("pcaplake-sample-lake");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
        SampleCapture.Generated g = SampleCapture.generate(SampleCapture.Options.defaults());
        Path capture = root.resolve("in/sample.pcapng");
        Files.createDirectories(capture.getParent());
        CaptureFiles.write(capture, Format.PCAPNG, g.packets());
        Path dir = root.resolve("lake");
        FlowsOptions o = new FlowsOptions(List.of(capture.toString()), dir.toString(), "", null, "sample",
            "pcaplake flows", Instant.parse("2026-01-02T03:04:05Z"));
        FlowsSummary s = FlowsJob.run(TestSpark.get(), o);
        lake = new Lake(dir, capture, g, s);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return lake;
  }

  /** The repository's {@code notebooks/} folder (tests run in a module folder below it). */
  public static Path notebooksDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("notebooks/README.md"))) {
        return p.resolve("notebooks");
      }
    }
    throw new IllegalStateException("no notebooks/ above " + Path.of("").toAbsolutePath());
  }

  private static void delete(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at exit
    }
  }
}
