package io.pcaplake.hadoop;

import static io.pcaplake.synth.HttpTraffic.header;
import static io.pcaplake.synth.HttpTraffic.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pcaplake.TestSpark;
import io.pcaplake.http.BodyFiles;
import io.pcaplake.spark.flows.FlowsJob;
import io.pcaplake.spark.flows.FlowsOptions;
import io.pcaplake.spark.flows.FlowsSummary;
import io.pcaplake.synth.CaptureFiles;
import io.pcaplake.synth.Format;
import io.pcaplake.synth.HttpTraffic;
import io.pcaplake.synth.TcpConversation;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --extract-bodies hdfs://...}: the executors write the body files to HDFS, flat inside the folder, with the
 * decoded bytes, whatever traversal the URI and Content-Disposition try.
 */
class HdfsBodiesTest {
  @TempDir Path dir;

  @Test
  void bodiesLandInsideTheHdfsFolder() throws IOException {
    FileSystem fs = MiniDfs.fs();
    Path in = Files.createDirectories(dir.resolve("in"));
    byte[] page = utf8("<html>" + "x".repeat(5000) + "</html>");
    CaptureFiles.write(in.resolve("web.pcap"), Format.PCAP,
        TcpConversation.between(InetAddress.getByName("10.7.0.1"), 40000, InetAddress.getByName("10.7.0.2"), 80)
            .start(1_780_000_000_000_000_000L).open().handshake()
            .clientSends(HttpTraffic.concat(
                HttpTraffic.request("GET", "/../../../../etc/passwd", "h", List.of(), null),
                HttpTraffic.request("POST", "/%2e%2e/x", "h", List.of(header("Content-Type", "application/json")),
                    utf8("{\"a\":1}"))))
            .serverSends(HttpTraffic.concat(
                HttpTraffic.gzipResponse(200, "OK", List.of(header("Content-Type", "text/html"),
                    header("Content-Disposition", "attachment; filename=\"/../../../tmp/evil\"")), page, 1000),
                HttpTraffic.response(201, "Created", List.of(header("Content-Type", "../../x")), utf8("done"))))
            .fin().packets());
    String bodies = fs.getUri() + "/lake/bodies";
    FlowsOptions o = FlowsOptions.of(List.of(in.toString()), dir.resolve("out").toString()).withRunId("h")
        .withExtractBodies(bodies);
    FlowsSummary s = FlowsJob.run(TestSpark.get(), o);
    assertEquals(2, s.httpExchanges());
    assertEquals(3, s.bodyFiles(), "2 responses and 1 request body");

    Map<String, byte[]> files = new TreeMap<>();
    for (FileStatus f : fs.listStatus(new org.apache.hadoop.fs.Path(bodies))) {
      assertTrue(f.isFile(), f.getPath().toString());
      String name = f.getPath().getName();
      assertTrue(BodyFiles.isSafeName(name), name);
      try (InputStream is = fs.open(f.getPath())) {
        files.put(name.replaceFirst("^[0-9a-f]{32}", "F"), is.readAllBytes());
      }
    }
    assertEquals(List.of("F-HTTPBODY-000.html", "F-HTTPBODY-001.bin", "F-HTTPREQBODY-001.json"),
        List.copyOf(files.keySet()));
    assertArrayEquals(page, files.get("F-HTTPBODY-000.html"), "the decoded (gunzipped) body");
    assertArrayEquals(utf8("done"), files.get("F-HTTPBODY-001.bin"));
    assertArrayEquals(utf8("{\"a\":1}"), files.get("F-HTTPREQBODY-001.json"));
    // Nothing else anywhere on the file system but the folder's three files.
    var it = fs.listFiles(new org.apache.hadoop.fs.Path("/"), true);
    while (it.hasNext()) {
      org.apache.hadoop.fs.Path p = it.next().getPath();
      if (p.toUri().getPath().startsWith("/lake/")) {
        assertEquals("/lake/bodies", p.getParent().toUri().getPath(), p.toString());
      }
    }
  }
}
