package io.pcaplake.report;

import io.pcaplake.flow.ConnectionRecord;
import io.pcaplake.flow.DirectionReport;
import io.pcaplake.flow.FlowKey;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;

/**
 * Streams a report.xml in tcpflow 1.6.1's DFXML structure ({@code docs/report.md}): the same skeleton and element
 * names, one {@code <fileobject>} per connection direction with tcpflow's {@code <filename>}, {@code <filesize>} and
 * {@code <tcpflow .../>} attributes (names, write order and emission rules of tcpflow's {@code tcpip::dump_xml}),
 * plus our attributes in the {@value #NAMESPACE} namespace (prefix {@code pl}).
 *
 * <p>Nothing is held per flow: each {@link #connection} is written at once. Every string is XML-escaped and
 * characters XML 1.0 cannot hold are replaced, so the document is well-formed whatever the input. {@link #close()}
 * and {@link #abort(String)} always end the document; after an I/O error the caller still gets a closed stream.
 */
public final class ReportXmlWriter implements Closeable {
  public static final String NAMESPACE = "https://pcaplake.io/dfxml";

  /**
   * What the report says about the run.
   *
   * @param program {@code <program>}
   * @param version {@code <version>}
   * @param commandLine the real command line ({@code <command_line>})
   * @param filenamePrefix prepended to every {@code <filename>} (tcpflow writes its output directory, e.g.
   *     {@code out/}); may be empty
   * @param startTime run start ({@code <start_time>})
   * @param host {@code <host>}, or null to omit
   */
  public record Options(String program, String version, String commandLine, String filenamePrefix,
                        Instant startTime, String host) {
    public Options {
      Objects.requireNonNull(program, "program");
      Objects.requireNonNull(version, "version");
      commandLine = commandLine == null ? "" : commandLine;
      filenamePrefix = filenamePrefix == null ? "" : filenamePrefix;
      startTime = startTime == null ? Instant.now() : startTime;
    }

    public static Options of(String commandLine) {
      return new Options("pcaplake", "0.1.0", commandLine, "", Instant.now(), null);
    }
  }

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Writer out;
  private final Options options;
  private final long startNanos = System.nanoTime();
  private long fileobjects;
  private long totalPackets;
  private long connections;
  private boolean closed;

  /** Opens the document and writes everything up to the flows' {@code <configuration>}. */
  public ReportXmlWriter(OutputStream stream, Options options) throws IOException {
    this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    this.options = options;
    header();
  }

  /** Writes both directions of a connection (each one that sent a packet), client first. */
  public void connection(ConnectionRecord c) throws IOException {
    check();
    connections++;
    for (DirectionReport d : new DirectionReport[] {c.clientReport(), c.serverReport()}) {
      if (d != null) {
        fileobjects++;
        totalPackets += d.packets();
        StringBuilder sb = new StringBuilder(512);
        fileobject(sb, c, d);
        w(sb.toString());
      }
    }
  }

  /**
   * A connection's {@code <fileobject>} elements as {@link #connection} writes them, without writing them (for a
   * caller that puts connections in order first, e.g. spilled to disk), with their count and packets.
   */
  public Rendered render(ConnectionRecord c) {
    StringBuilder sb = new StringBuilder(1024);
    int n = 0;
    long packets = 0;
    for (DirectionReport d : new DirectionReport[] {c.clientReport(), c.serverReport()}) {
      if (d != null) {
        n++;
        packets += d.packets();
        fileobject(sb, c, d);
      }
    }
    return new Rendered(sb.toString(), n, packets);
  }

  /** Writes a connection rendered by {@link #render} (of a writer with the same options). */
  public void connection(Rendered r) throws IOException {
    check();
    connections++;
    fileobjects += r.fileobjects();
    totalPackets += r.packets();
    w(r.xml());
  }

  /** A connection's {@code <fileobject>} elements ({@link #render}): the XML, how many, their packets. */
  public record Rendered(String xml, int fileobjects, long packets) {
    public Rendered {
      Objects.requireNonNull(xml, "xml");
    }
  }

  /**
   * Counts packets that belong to no reported direction (e.g. non-TCP) into {@code total_packets}; connection
   * packets are counted by {@link #connection}.
   */
  public void countPackets(long n) {
    totalPackets += n;
  }

  /** Ends the document normally. Idempotent. */
  @Override
  public void close() throws IOException {
    finish(null);
  }

  /** Ends the document after a failure, recording {@code reason}; the result is still well-formed. Idempotent. */
  public void abort(String reason) throws IOException {
    finish(reason == null ? "unknown" : reason);
  }

  /** {@code <tcpflow>} file name of one direction: tcpflow's {@code %A.%a-%B.%b%V%v%C%c}. */
  public static String filename(DirectionReport d, FlowKey key, int connectionIndex) {
    StringBuilder sb = new StringBuilder(64);
    host(sb, d.srcIp());
    sb.append('.');
    port(sb, d.srcPort());
    sb.append('-');
    host(sb, d.dstIp());
    sb.append('.');
    port(sb, d.dstPort());
    if (key != null && key.hasVlan()) {
      sb.append("--").append(key.vlan());
    }
    if (connectionIndex > 0) {
      sb.append('c').append(connectionIndex);
    }
    return sb.toString();
  }

  /** tcpflow's {@code to8601}: seconds, {@code .uuuuuu} only when the microseconds are not 0, then {@code Z}. */
  public static String time(long tsNanos) {
    long sec = Math.floorDiv(tsNanos, 1_000_000_000L);
    long usec = Math.floorMod(tsNanos, 1_000_000_000L) / 1000;
    String s = SECONDS.format(Instant.ofEpochSecond(sec));
    return usec > 0 ? s + String.format(Locale.ROOT, ".%06dZ", usec) : s + "Z";
  }

  private void header() throws IOException {
    w("<?xml version='1.0' encoding='UTF-8'?>\n");
    w("<dfxml xmloutputversion='1.0' xmlns:pl='" + NAMESPACE + "'>\n");
    w("  <metadata \n  xmlns='http://afflib.org/tcpflow/' \n  xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance' \n"
        + "  xmlns:dc='http://purl.org/dc/elements/1.1/'>\n");
    w("    <dc:type>Feature Extraction</dc:type>\n  </metadata>\n");
    w("  <creator version='1.0'>\n");
    element(4, "program", options.program());
    element(4, "version", options.version());
    w("    <build_environment>\n");
    element(6, "compiler", "Java " + System.getProperty("java.version", "?"));
    w("    </build_environment>\n    <execution_environment>\n");
    element(6, "os_sysname", System.getProperty("os.name", ""));
    element(6, "os_release", System.getProperty("os.version", ""));
    if (options.host() != null) {
      element(6, "host", options.host());
    }
    element(6, "arch", System.getProperty("os.arch", ""));
    element(6, "command_line", options.commandLine());
    element(6, "username", System.getProperty("user.name", ""));
    element(6, "start_time", SECONDS.format(options.startTime()) + "Z");
    w("    </execution_environment>\n  </creator>\n");
    w("  <configuration>\n  </configuration>\n");
    w("  <tdelta>0</tdelta>\n");
    w("  <configuration>\n");
  }

  private void fileobject(StringBuilder sb, ConnectionRecord c, DirectionReport d) {
    sb.append("    <fileobject>\n");
    if (d.filesize() > 0) {
      // tcpflow writes no file, hence no <filename>, for a direction without payload.
      sb.append("      <filename>");
      text(sb, options.filenamePrefix() + filename(d, c.key(), c.connectionIndex()));
      sb.append("</filename>\n");
    }
    sb.append("      <filesize>").append(d.filesize()).append("</filesize>\n");
    sb.append("      <tcpflow");
    attr(sb, "startime", time(d.firstTs()));
    attr(sb, "endtime", time(d.lastTs()));
    if (d.dstMac() > 0) {
      attr(sb, "mac_daddr", mac(d.dstMac()));
    }
    if (d.srcMac() > 0) {
      attr(sb, "mac_saddr", mac(d.srcMac()));
    }
    attr(sb, "family", "ipv6".equals(c.family()) ? "10" : "2");
    attr(sb, "src_ipn", d.srcIp());
    attr(sb, "dst_ipn", d.dstIp());
    attr(sb, "srcport", Integer.toString(d.srcPort()));
    attr(sb, "dstport", Integer.toString(d.dstPort()));
    attr(sb, "packets", Long.toString(d.packets()));
    if (d.outOfOrderCount() > 0) {
      attr(sb, "out_of_order_count", Long.toString(d.outOfOrderCount()));
    }
    if (d.violations() > 0) {
      attr(sb, "violations", Long.toString(d.violations()));
    }
    attr(sb, "len", Long.toString(d.wireLen()));
    if (d.capLen() != d.wireLen()) {
      attr(sb, "caplen", Long.toString(d.capLen()));
    }
    attr(sb, "pl:flow_id", c.flowId());
    attr(sb, "pl:connection_index", Integer.toString(c.connectionIndex()));
    attr(sb, "pl:direction", d.fromClient() ? "client" : "server");
    attr(sb, "pl:missing_bytes", Long.toString(d.missingBytes()));
    attr(sb, "pl:conn_state", c.connState());
    attr(sb, "pl:community_id", c.communityId());
    sb.append(" />\n    </fileobject>\n");
  }

  private void finish(String abortReason) throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      w("  </configuration>\n");
      if (abortReason != null) {
        StringBuilder sb = new StringBuilder("  <pl:aborted>");
        text(sb, abortReason);
        w(sb.append("</pl:aborted>\n").toString());
      }
      w("  <summary />\n");
      w("  <open_fds_at_end>0</open_fds_at_end>\n");
      element(2, "total_flows", Long.toString(fileobjects));
      w("  <flow_map_size>0</flow_map_size>\n");
      element(2, "total_packets", Long.toString(totalPackets));
      element(2, "pl:total_connections", Long.toString(connections));
      w("  <rusage>\n");
      long cpu = cpuNanos();
      if (cpu >= 0) {
        element(4, "utime", String.format(Locale.ROOT, "%.6f", cpu / 1e9));
      }
      element(4, "clocktime", String.format(Locale.ROOT, "%.6f", (System.nanoTime() - startNanos) / 1e9));
      w("  </rusage>\n</dfxml>\n");
    } finally {
      out.close();
    }
  }

  private static long cpuNanos() {
    try {
      if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
        return os.getProcessCpuTime();
      }
    } catch (RuntimeException | LinkageError e) {
      // Not every JVM has it; the element is optional.
    }
    return -1;
  }

  private void check() {
    if (closed) {
      throw new IllegalStateException("report already closed");
    }
  }

  private void element(int indent, String name, String value) throws IOException {
    StringBuilder sb = new StringBuilder(indent + 2 * name.length() + 16);
    sb.append(" ".repeat(indent)).append('<').append(name).append('>');
    text(sb, value);
    w(sb.append("</").append(name).append(">\n").toString());
  }

  private void w(String s) throws IOException {
    out.write(s);
  }

  private static void attr(StringBuilder sb, String name, String value) {
    sb.append(' ').append(name).append("='");
    text(sb, value == null ? "" : value);
    sb.append('\'');
  }

  /** Escapes markup and quotes; characters XML 1.0 forbids (controls, lone surrogates, U+FFFE/F) become U+FFFD. */
  static void text(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '\'' -> sb.append("&apos;");
        case '"' -> sb.append("&quot;");
        case '\t' -> sb.append("&#9;");
        case '\n' -> sb.append("&#10;");
        case '\r' -> sb.append("&#13;");
        default -> {
          if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            sb.append(ch).append(s.charAt(++i));
          } else if (ch < 0x20 || Character.isSurrogate(ch) || ch == 0xfffe || ch == 0xffff) {
            sb.append('\ufffd');
          } else {
            sb.append(ch);
          }
        }
      }
    }
  }

  private static void host(StringBuilder sb, String ip) {
    if (ip.indexOf(':') >= 0) {
      sb.append(ip);
      return;
    }
    String[] o = ip.split("\\.");
    for (int i = 0; i < o.length; i++) {
      if (i > 0) {
        sb.append('.');
      }
      sb.append("000", 0, Math.max(0, 3 - o[i].length())).append(o[i]);
    }
  }

  private static void port(StringBuilder sb, int p) {
    String s = Integer.toString(p);
    sb.append("00000", 0, Math.max(0, 5 - s.length())).append(s);
  }

  private static String mac(long m) {
    StringBuilder sb = new StringBuilder(17);
    for (int i = 5; i >= 0; i--) {
      int b = (int) (m >>> (8 * i)) & 0xff;
      sb.append(Character.forDigit(b >>> 4, 16)).append(Character.forDigit(b & 0xf, 16));
      if (i > 0) {
        sb.append(':');
      }
    }
    return sb.toString();
  }
}
