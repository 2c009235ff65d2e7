package io.pcaplake.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The committed seed corpora, made by the project's writers and by hand. Run {@link #main} with the resources folder
 * ({@code formats/src/test/resources}) to rewrite them; they are small on purpose.
 */
final class Seeds {
  private Seeds() { }

  static byte[] pcapWarmup() {
    return CaptureBuilder.pcap(new FuzzSupport.In(recordOps(3)), true, false, 65535, true);
  }

  static byte[] pcapngWarmup() {
    return CaptureBuilder.pcapng(new FuzzSupport.In(new byte[] {0, 0, 0, 4, 'a', 'b', 'c', 'd', 0}), true, true);
  }

  /** Ops for {@link CaptureBuilder#pcap}: {@code n} records of 4..n+3 bytes. */
  static byte[] recordOps(int n) {
    FuzzSupport.Out o = new FuzzSupport.Out();
    for (int i = 0; i < n; i++) {
      o.u8(0x40).u16(i * 1000).u8(4 + i).bytes(new byte[4 + i]);
    }
    return o.toByteArray();
  }

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args.length > 0 ? args[0] : "formats/src/test/resources").resolve("io/pcaplake/fuzz");
    // pcap reader: raw file, header + garbage, built records with a bad header and garbage in between.
    write(root, PcapReaderFuzzTest.class, "raw-valid", PcapReaderFuzzTest.concat(new byte[] {0}, pcapWarmup()));
    write(root, PcapReaderFuzzTest.class, "header-then-junk", new byte[] {1, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 1});
    write(root, PcapReaderFuzzTest.class, "built-ns-be", PcapReaderFuzzTest.concat(new byte[] {2 | 4 | 8},
        recordOps(4)));
    write(root, PcapReaderFuzzTest.class, "built-mixed", new FuzzSupport.Out().u8(2).bytes(recordOps(2))
        .u8(5).u16(0).u32(0xFFFFFFFFL).u32(1).u8(6).u16(0).u8(7).bytes(new byte[7]).bytes(recordOps(2))
        .toByteArray());
    // pcapng reader
    write(root, PcapngReaderFuzzTest.class, "raw-valid", PcapReaderFuzzTest.concat(new byte[] {0}, pcapngWarmup()));
    write(root, PcapngReaderFuzzTest.class, "shb-idb-then-junk", new byte[] {1, 6, 0, 0, 0, 0x20, 0, 0, 0, 9});
    write(root, PcapngReaderFuzzTest.class, "built-blocks", new FuzzSupport.Out().u8(2)
        .u8(4).u16(0).u8(1).u16(1).u32(65535).u8(0).u8(2)          // IDB, ns, fcs 1
        .u8(0).u16(1).u8(3).bytes(new byte[] {1, 2, 3}).u8(0)     // EPB
        .u8(6).u16(2).u8(2).bytes(new byte[] {9, 9})              // SPB
        .u8(3).u16(3).u8(1).bytes(new byte[] {7}).u8(0)           // PB
        .u8(9).u16(4).u8(0)                                      // new section, BE
        .u8(11).u16(5).u32(0x12345678).u8(4).bytes(new byte[4])  // unknown block
        .u8(12).u16(6).u8(3).bytes(new byte[] {1, 2, 3})         // garbage
        .u8(0).u16(7).u8(2).bytes(new byte[] {5, 5}).u8(0)        // EPB before an IDB in the new section
        .toByteArray());
    // split resync
    write(root, SplitResyncFuzzTest.class, "pcap-well-formed-middle", new FuzzSupport.Out().u8(2).u16(0x8000)
        .bytes(recordOps(6)).toByteArray());
    write(root, SplitResyncFuzzTest.class, "pcapng-well-formed-third", new FuzzSupport.Out().u8(3).u16(0x5555)
        .u8(0).u16(1).u8(3).bytes(new byte[3]).u8(0).u8(9).u16(0).u8(0).u8(0).u16(1).u8(1).bytes(new byte[1]).u8(0)
        .toByteArray());
    write(root, SplitResyncFuzzTest.class, "pcap-adversarial", new FuzzSupport.Out().u8(0).u16(0x4000).u8(2)
        .bytes(recordOps(3)).u8(6).u16(0).u8(5).bytes(new byte[5]).bytes(recordOps(3)).toByteArray());
    // packet decoder: limits, two IPv4 fragments that complete a datagram, an Ethernet/IPv4/TCP frame, an SLL frame.
    byte[] eth = new byte[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 8, 0, 0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0, 10, 0,
        0, 1, 10, 0, 0, 2, 4, (byte) 210, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x18, (byte) 255, (byte) 255, 0, 0,
        0, 0};
    write(root, PacketDecoderFuzzTest.class, "fragments-and-frames", new FuzzSupport.Out()
        .u8(4).u16(65534).u8(16).u8(10)
        .u8(0x20).u8(1).u8(0x04 | 1).u8(0).u8(16).bytes(new byte[16])   // id 1, MF, offset 0, 16 bytes
        .u8(0x20).u8(1).u8(1).u8(2).u8(8).bytes(new byte[8])            // id 1, last, offset 2 (16 bytes)
        .u8(1).u8(1).u8(eth.length).bytes(eth).u8(3)                     // Ethernet at offset 3
        .u8(6 | 0x08).u8(1).u8(eth.length).bytes(eth).u8(0).u8(30)       // SLL, cut by 30
        .toByteArray());
    // TCP reassembler: limits, ISNs, SYN, SYN-ACK, data both ways, a gap, FIN.
    write(root, TcpReassemblerFuzzTest.class, "handshake-data-gap", new FuzzSupport.Out()
        .u16(4096).u8(8).u8(20).u16(1024).u16(256).u8(32).u32(1000).u32(5000)
        .u8(1).u8(0x02).u16(16).u16(0).u8(1).u8(0)                        // A SYN
        .u8(0).u8(0x12).u16(16).u16(17).u8(1).u8(0)                       // B SYN-ACK
        .u8(1).u8(0x18).u16(17).u16(17).u8(1).u8(5).bytes("GET /".getBytes(StandardCharsets.US_ASCII))
        .u8(1).u8(0x18).u16(30).u16(17).u8(1).u8(3).bytes(new byte[] {'a', 'b', 'c'}) // after a hole
        .u8(0).u8(0x18).u16(17).u16(40).u8(1).u8(4).bytes("HTTP".getBytes(StandardCharsets.US_ASCII))
        .u8(1).u8(0x11).u16(33).u16(21).u8(1).u8(0)                       // A FIN
        .toByteArray());
    // capture filter
    for (String[] f : new String[][] {{"host-and-port", "host 10.0.0.1 and tcp port 80"},
        {"precedence", "not src net 192.168.0.0/16 or (udp and dst portrange 1000-2000) and vlan 7"},
        {"ipv6", "ip6 host 2001:db8::1 or net fe80::/10"}, {"error", "host 10.0.0.1 and and"},
        {"blank", " "}}) {
      write(root, CaptureFilterFuzzTest.class, f[0], f[1].getBytes(StandardCharsets.UTF_8));
    }
    // report.xml
    write(root, ReportXmlFuzzTest.class, "utf8-two-connections", new FuzzSupport.Out().u8(2)
        .u8(9).bytes("pcaplake <".getBytes(StandardCharsets.UTF_8), 9).u8(1).bytes(new byte[] {'p'}).u8(1)
        .bytes(new byte[] {'1'}).u8(0).u8(4).bytes("h&st".getBytes(StandardCharsets.UTF_8)).u8(2)
        .u8(2).bytes(new byte[] {'f', 0}).u8(8).bytes("10.0.0.1".getBytes(StandardCharsets.UTF_8)).u8(3)
        .bytes(new byte[] {':', ':', '1'}).toByteArray());
    write(root, ReportXmlFuzzTest.class, "utf16-aborted", new FuzzSupport.Out().u8(1 | 4)
        .u8(3).u16(0xD800).u16('<').u16(0xFFFE).u8(0).u8(0).u8(0).u8(1).u8(1).u16(0xDC00).toByteArray());
    HttpSeeds.write(root);
    defragmenterSeeds(root);
  }

  /**
   * {@link DefragmenterFuzzTest}: limits (datagrams - 1, bytes - 1, extra budget / 64, timeout / 100 ms - 1), the
   * originals (flags, length, content seed, a byte per fragment boundary), then ops (op, piece, time step, and for
   * widened / altered sends the widening and the mask).
   */
  static void defragmenterSeeds(Path root) throws IOException {
    // An IPv4 datagram of 200 bytes in 4 fragments sent in order, an IPv6 one of 160 bytes in 5 sent in reverse.
    FuzzSupport.Out o = new FuzzSupport.Out().u8(2).u16(65534).u16(100).u8(9).u8(1)
        .u8(0).u8(50).u8(7).u8(7).u8(7).u8(7).u8(7)
        .u8(1 | 0x10).u8(40).u8(9).u8(3).u8(3).u8(3).u8(3).u8(3);
    for (int i = 0; i < 4; i++) {
      o.u8(0).u8(i).u8(1);
    }
    for (int i = 4; i >= 0; i--) {
      o.u8(1).u8(i).u8(1);
    }
    write(root, DefragmenterFuzzTest.class, "v4-in-order-v6-reversed", o.toByteArray());
    // A widened, altered second fragment arrives first over part of the first; then the rest and the true second.
    write(root, DefragmenterFuzzTest.class, "conflicting-overlap", new FuzzSupport.Out().u8(2).u16(65534).u16(100)
        .u8(9).u8(0).u8(0).u8(50).u8(7).u8(7).u8(7).u8(7).u8(7)
        .u8(4 << 2).u8(1).u8(1).u8(1).u8(0x5a)
        .u8(0).u8(0).u8(1).u8(0).u8(2).u8(1).u8(0).u8(3).u8(1).u8(3 << 2).u8(1).u8(1).u8(0)
        .toByteArray());
    // Two datagrams with the same key interleaved, one fragment never sent, a wrong last fragment, a timeout jump.
    write(root, DefragmenterFuzzTest.class, "collision-missing-timeout", new FuzzSupport.Out().u8(3).u16(65534)
        .u16(100).u8(4).u8(1)
        .u8(0x04).u8(30).u8(1).u8(3).u8(3).u8(3).u8(3)
        .u8(0x04).u8(20).u8(2).u8(1).u8(1).u8(1).u8(1).u8(1)
        .u8(0).u8(0).u8(1).u8(1).u8(0).u8(1).u8(0).u8(2).u8(1).u8(1).u8(2).u8(1).u8(6 << 2).u8(1).u8(1)
        .u8(7 << 2).u8(0).u8(0).u8(0).u8(3).u8(1).u8(1).u8(3).u8(1)
        .toByteArray());
    // An IPv4 datagram of 65530 bytes in 8 fragments: complete, but too large for the IPv4 length field.
    FuzzSupport.Out big = new FuzzSupport.Out().u8(1).u16(65534).u16(1100).u8(50).u8(0)
        .u8(0x80).u16(65530).u8(3);
    for (int i = 0; i < 8; i++) {
      big.u8(31);
    }
    for (int i = 7; i >= 0; i--) {
      big.u8(0).u8(i).u8(1);
    }
    write(root, DefragmenterFuzzTest.class, "too-large-for-ipv4", big.toByteArray());
  }

  static void write(Path root, Class<?> target, String name, byte[] bytes) throws IOException {
    write0(root, target, name, bytes);
  }

  private static void write0(Path root, Class<?> target, String name, byte[] bytes) throws IOException {
    Path dir = root.resolve(target.getSimpleName() + "Inputs").resolve("fuzz");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), bytes);
  }
}
