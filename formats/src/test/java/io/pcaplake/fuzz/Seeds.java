package io.pcaplake.fuzz;

import java.io.IOException;
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
  }

  static void write(Path root, Class<?> target, String name, byte[] bytes) throws IOException {
    Path dir = root.resolve(target.getSimpleName() + "Inputs").resolve("fuzz");
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), bytes);
  }
}
