package io.pcaplake.fuzz;

import io.pcaplake.synth.HttpTraffic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/** Seeds of the HTTP targets ({@link HttpParserFuzzTest}, {@link ContentDecodingFuzzTest}); written by {@link Seeds#main}. */
final class HttpSeeds {
  private HttpSeeds() { }

  /** {@code brotli -c} (Debian brotli 1.0.9) of "hello brotli body, hello brotli body, hello brotli body\n". */
  static final byte[] BROTLI = HexFormat.of().parseHex(
      "a1b801c02fbac3bfe79abff74a518c919e4a91aa42846a1729c4ea3808e53b9a01");

  /** Roomy limits for {@link HttpParserFuzzTest#limits}. */
  static FuzzSupport.Out parserLimits() {
    return new FuzzSupport.Out().u8(255).u16(8000).u8(31).u8(63).u8(200).u16(4096).u8(50).u16(2048).u16(4096)
        .u8(8).u8(64);
  }

  /** One parser op: data from a direction, sent long-form. */
  static FuzzSupport.Out data(FuzzSupport.Out o, boolean client, byte[] b) {
    for (int off = 0; off < b.length; off += 4095) {
      int n = Math.min(4095, b.length - off);
      o.u8((client ? 0 : 1) | 8).u16(n).bytes(java.util.Arrays.copyOfRange(b, off, off + n));
    }
    return o;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static void write(Path root) throws IOException {
    byte[] gzipChunked = HttpTraffic.gzipResponse(200, "OK", List.of(HttpTraffic.header("Content-Type", "text/html")),
        ascii("<html>hello</html>".repeat(20)), 50);
    Seeds.write(root, HttpParserFuzzTest.class, "keepalive-pipelined", data(data(parserLimits(), true,
        HttpTraffic.concat(HttpTraffic.request("GET", "/a?access_token=x", "h", List.of(), null),
            HttpTraffic.request("POST", "/b", "h", List.of(HttpTraffic.header("Content-Type", "application/json")),
                ascii("{\"k\":1}")),
            HttpTraffic.request("HEAD", "/c", "h", List.of(), null))), false,
        HttpTraffic.concat(gzipChunked, HttpTraffic.response(201, "Created", List.of(), ascii("ok")),
            ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"))).toByteArray());
    Seeds.write(root, HttpParserFuzzTest.class, "gap-in-body-then-resync", data(data(parserLimits(), true,
        ascii("GET / HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\n\r\n")), false,
        ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n01234"))
        .u8(1 | 6).u8(5)                                                    // server gap of 6 bytes
        .u8(1).u8(40).bytes(ascii("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 3"))
        .u8(0 | 6).u8(3)                                                    // client gap
        .u8(1).u8(20).bytes(ascii("04\r\nTransfer-Encod\n\n")).toByteArray());
    Seeds.write(root, HttpParserFuzzTest.class, "upgrade-and-odd-lines", data(data(parserLimits(), true, ascii(
        "GET /chat HTTP/1.1\nUpgrade: websocket\r\nX: a\r\n folded\r\nBad Name: v\r\nno colon\r\n\r\nmore")), false,
        ascii("HTTP/1.1 101\r\nUpgrade: websocket\r\n\r\n\u0001\u0002")).toByteArray());
    Seeds.write(root, HttpParserFuzzTest.class, "http09-and-connect", data(data(parserLimits(), true, ascii(
        "GET /old\r\nCONNECT h:443 HTTP/1.1\r\n\r\n")), false, ascii("<html>old</html>")).toByteArray());

    // Content decoding: caps, mode, corruptAt, chunk, codings, plaintext.
    byte[] text = ascii("hello content coding, hello content coding, hello\n".repeat(8));
    int[][] stacks = {{0}, {2}, {3}, {5}, {0, 5}, {5, 2}, {1, 3, 6}, {7}};
    for (int[] st : stacks) {
      FuzzSupport.Out o = new FuzzSupport.Out().u16(1000).u8(100).u16(500).u8(64).u16(1000)
          .u8(1 | (st.length == 2 ? 2 : 0)).u16(7).u8(16).u8(st.length);
      StringBuilder name = new StringBuilder("encode");
      for (int c : st) {
        o.u8(c);
        name.append('-').append(ContentDecodingFuzzTest.CODINGS[c]);
      }
      Seeds.write(root, ContentDecodingFuzzTest.class, name.toString(), o.bytes(text).toByteArray());
    }
    Seeds.write(root, ContentDecodingFuzzTest.class, "br-raw", new FuzzSupport.Out().u16(1000).u8(100).u16(500).u8(64)
        .u16(1000).u8(0).u16(0).u8(8).u8(1).u8(4).bytes(BROTLI).toByteArray());
    Seeds.write(root, ContentDecodingFuzzTest.class, "gzip-bomb-capped", new FuzzSupport.Out().u16(2).u8(4).u16(1)
        .u8(16).u16(0).u8(1 | 4).u16(0).u8(200).u8(1).u8(0).bytes(new byte[20000]).toByteArray());
    Seeds.write(root, ContentDecodingFuzzTest.class, "zstd-gap-corrupt", new FuzzSupport.Out().u16(1000).u8(100)
        .u16(500).u8(64).u16(1000).u8(1 | 2 | 8 | 16).u16(0x0130).u8(30).u8(2).u8(5).u8(0).bytes(text).toByteArray());
  }
}
