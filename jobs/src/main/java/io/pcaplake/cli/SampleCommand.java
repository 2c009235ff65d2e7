package io.pcaplake.cli;

import io.pcaplake.synth.Format;
import io.pcaplake.synth.SampleCapture;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pcaplake sample OUT}: writes the deterministic demo capture (no Spark needed). */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Write the demo capture: an HTTP API with several clients, one of them using a revoked token.")
final class SampleCommand implements Callable<Integer> {
  /** The container formats the sample can be written in. */
  enum SampleFormat { pcap, pcapng }

  @Parameters(index = "0", paramLabel = "OUT", description = "File to write (parent directories are created).")
  Path out;

  @Option(names = "--format", defaultValue = "pcapng", description = "pcap or pcapng (default: ${DEFAULT-VALUE}).")
  SampleFormat format;

  @Override
  public Integer call() throws IOException {
    run(out, format, System.out);
    return 0;
  }

  static SampleCapture.Truth run(Path out, SampleFormat format, PrintStream log) throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    SampleCapture.Truth t = SampleCapture.write(out, format == SampleFormat.pcap ? Format.PCAP : Format.PCAPNG);
    log.printf("wrote %s: %d packets, %d TCP connections, %d HTTP requests (%d answered 401)%n",
        out, t.packets(), t.connections(), t.requests(), t.unauthorized());
    return t;
  }
}
