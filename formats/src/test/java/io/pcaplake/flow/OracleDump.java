package io.pcaplake.flow;

import io.pcaplake.capture.FileByteSource;
import io.pcaplake.report.ReportXmlWriter;
import java.nio.file.*;
import java.util.*;

/** Temporary: prints our report lines vs tcpflow's for every capture. */
class OracleDump {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    try (var files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        String fn = p.getFileName().toString();
        if (!fn.matches(".*\\.pcap(ng)?(\\.gz)?$")) continue;
        String name = fn.replaceAll("\\.pcap(ng)?(\\.gz)?$", "");
        LocalFlows.Result r;
        try {
          r = LocalFlows.run(List.of(fn), List.of(new FileByteSource(p)));
        } catch (Exception e) { System.out.println(name + " ERROR " + e); continue; }
        System.out.println("== " + name + " conns=" + r.connections().size());
        List<String> ours = new ArrayList<>();
        for (ConnectionRecord c : r.connections()) {
          for (DirectionReport d : new DirectionReport[]{c.clientReport(), c.serverReport()}) {
            if (d == null) continue;
            ours.add(ReportXmlWriter.filename(d, c.key(), c.connectionIndex()) + " size=" + d.filesize() + " pk=" + d.packets() + " len=" + d.wireLen() + " " + c.connState() + " " + c.history());
          }
        }
        Collections.sort(ours);
        ours.forEach(s -> System.out.println("  ours " + s));
        Path o = dir.resolve("oracle/" + name + ".tcpflow-report.xml");
        if (Files.exists(o)) {
          String x = Files.readString(o);
          var m = java.util.regex.Pattern.compile("<fileobject>\\s*(?:<filename>out/([^<]*)</filename>)?\\s*<filesize>(\\d+)</filesize>\\s*<tcpflow ([^>]*)/>").matcher(x);
          List<String> th = new ArrayList<>();
          while (m.find()) {
            String a = m.group(3);
            th.add((m.group(1) == null ? "(none " + attr(a, "src_ipn") + "." + attr(a, "srcport") + "-" + attr(a, "dst_ipn") + "." + attr(a, "dstport") + ")" : m.group(1)) + " size=" + m.group(2) + " pk=" + attr(a, "packets") + " len=" + attr(a, "len"));
          }
          Collections.sort(th);
          th.forEach(s -> System.out.println("  tcpf " + s));
        }
      }
    }
  }
  static String attr(String a, String n) {
    var m = java.util.regex.Pattern.compile("\\b" + n + "='([^']*)'").matcher(a);
    return m.find() ? m.group(1) : null;
  }
}
