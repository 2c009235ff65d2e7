package io.pcaplake.bench;

import io.pcaplake.capture.PcapWriter;
import io.pcaplake.synth.HttpTraffic;
import io.pcaplake.synth.SynthPacket;
import io.pcaplake.synth.TcpConversation;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Writes a classic pcap of HTTP/1.1 keep-alive connections for {@code scripts/bench-http flows}: each connection
 * carries 20 exchanges cycling through small JSON, chunked HTML, gzip HTML, a 256 KiB binary and small gzip-chunked
 * responses, with Bearer / Basic Authorization, cookies and query tokens (so the secrets layer works), from 500
 * clients to 8 servers, one connection after another (streamed: one connection in memory at a time).
 * {@code HttpArchive OUT SIZE[k|m|g]}; prints connections and exchanges written.
 */
public final class HttpArchive {
  private HttpArchive() { }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: HttpArchive OUT SIZE[k|m|g]");
      System.exit(2);
    }
    String t = args[1].trim().toLowerCase(Locale.ROOT);
    long mult = t.endsWith("g") ? 1L << 30 : t.endsWith("m") ? 1L << 20 : t.endsWith("k") ? 1L << 10 : 1;
    long target = Long.parseLong(mult == 1 ? t : t.substring(0, t.length() - 1)) * mult;

    byte[] text = new byte[256 << 10];
    String words = "the quick brown fox jumps over the lazy dog, pack my box with five dozen liquor jugs. ";
    for (int i = 0; i < text.length; i++) {
      text[i] = (byte) words.charAt((i * 7 + i / 97) % words.length());
    }
    byte[] bin = new byte[256 << 10];
    for (int i = 0; i < bin.length; i++) {
      bin[i] = (byte) (i * 31 + (i >> 9));
    }
    List<HttpTraffic.Header> json = List.of(HttpTraffic.header("Content-Type", "application/json"),
        HttpTraffic.header("Set-Cookie", "sid=abcdef0123456789; HttpOnly"));
    List<HttpTraffic.Header> html = List.of(HttpTraffic.header("Content-Type", "text/html"));
    byte[][] kinds = {
        HttpTraffic.response(200, "OK", json, Arrays.copyOf(text, 300)),
        HttpTraffic.chunkedResponse(200, "OK", html, Arrays.copyOf(text, 16 << 10), 4096),
        HttpTraffic.gzipResponse(200, "OK", html, Arrays.copyOf(text, 64 << 10), 0),
        HttpTraffic.response(200, "OK", List.of(HttpTraffic.header("Content-Type", "image/png")), bin),
        HttpTraffic.gzipResponse(401, "Unauthorized", json, Arrays.copyOf(text, 2048), 1024)};

    long written = PcapWriter.FILE_HEADER_LENGTH;
    long ts = 1_780_000_000_000_000_000L;
    int connections = 0;
    long exchanges = 0;
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(Path.of(args[0])), 1 << 20);
         PcapWriter w = new PcapWriter(os, ByteOrder.LITTLE_ENDIAN, true, 262_144, 1)) {
      while (written < target) {
        int client = connections % 500;
        TcpConversation conv = TcpConversation.between(
                InetAddress.getByAddress(new byte[] {10, 20, (byte) (client >> 8), (byte) client}),
                20_000 + connections % 40_000,
                InetAddress.getByAddress(new byte[] {10, 30, 0, (byte) (connections % 8)}), 80)
            .start(ts).open().handshake();
        String auth = connections % 2 == 0 ? "Bearer tok-" + (connections % 997) + "-abcdefghijklmnop"
            : "Basic " + java.util.Base64.getEncoder().encodeToString(("user" + client + ":pw").getBytes());
        for (int i = 0; i < 20; i++) {
          conv.clientSends(HttpTraffic.request("GET", "/api/items/" + i + "?page=" + i + "&access_token=q" + client,
              "www.example.com", List.of(HttpTraffic.header("Authorization", auth),
                  HttpTraffic.header("User-Agent", "bench/1"), HttpTraffic.header("Cookie", "sid=c" + client)), null));
          conv.serverSends(kinds[(i + connections) % kinds.length]);
        }
        List<SynthPacket> packets = new ArrayList<>(conv.fin().packets());
        for (SynthPacket p : packets) {
          if (p.linkType() != 1) {
            throw new IllegalStateException("expected Ethernet frames, got link type " + p.linkType());
          }
          w.write(p.tsNanos(), p.frame(), 0, p.frame().length, p.origlen());
          written += PcapWriter.RECORD_HEADER_LENGTH + p.frame().length;
        }
        ts = conv.clock() + 1_000_000L;
        connections++;
        exchanges += 20;
      }
    }
    System.out.printf("%s: %d bytes, %d connections, %d exchanges%n", args[0], written, connections, exchanges);
  }
}
