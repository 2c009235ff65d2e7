package io.pcaplake.capture;

import static org.junit.jupiter.api.Assertions.*;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PcapReaderTest {
  private static final long T = 1_600_000_000_123_456_789L;

  private static byte[] threeRecords(ByteOrder order, boolean ns, int linkTypeField) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(bos, order, ns, 1500, linkTypeField)) {
      w.write(T, new byte[] {1, 2, 3}, 0, 3, 60);
      w.write(T + 1_000, new byte[] {4, 5, 6, 7}, 0, 4, 4);
      w.write(T - 5_000_000_000L, new byte[] {9}, 0, 1, 1); // backwards in time: still read
    }
    return bos.toByteArray();
  }

  @ParameterizedTest
  @CsvSource({"LE,false,d4c3b2a1", "BE,false,a1b2c3d4", "LE,true,4d3cb2a1", "BE,true,a1b23c4d"})
  void readsEveryMagicAndByteOrder(String bo, boolean ns, String magicHex) throws IOException {
    ByteOrder order = bo.equals("LE") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    byte[] file = threeRecords(order, ns, 1);
    assertEquals(magicHex, String.format("%02x%02x%02x%02x", file[0], file[1], file[2], file[3]));
    Reads.Result r = Reads.all(file);
    assertEquals(3, r.records().size());
    long frac = ns ? 0 : 789; // µs files lose the nanoseconds
    assertEquals(T - frac, r.records().get(0).ts());
    assertEquals(T + 1_000 - frac, r.records().get(1).ts());
    assertEquals(3, r.records().get(0).caplen());
    assertEquals(60, r.records().get(0).origlen());
    assertEquals(24, r.records().get(0).offset());
    assertEquals(24 + 16 + 3, r.records().get(1).offset());
    assertEquals(Reads.crc(new byte[] {4, 5, 6, 7}, 0, 4), r.records().get(1).dataCrc());
    assertEquals(List.of(), r.problems());
    assertEquals(bo, r.info().byteOrder());
    assertEquals(ns, r.info().nanosecond());
    assertEquals("pcap", Captures.sniff(new ArrayByteSource("x", file)).format());
  }

  @Test
  void masksFcsBitsOfTheLinkType() throws IOException {
    byte[] file = threeRecords(ByteOrder.LITTLE_ENDIAN, false, 1 | 0x04000000 | 2 << 28);
    Reads.Result r = Reads.all(file);
    assertEquals(1, r.records().get(0).linkType());
    assertEquals(4, r.records().get(0).fcs());
    assertEquals(List.of(1), r.info().linkTypes());
  }

  @ParameterizedTest
  @CsvSource({"gzip", "zstd", "bzip2", "gzip-multi"})
  void readsCompressedCapturesWholeInTheFirstSplitOnly(String codec) throws IOException {
    byte[] plain = Fixtures.pcap(300, 7, ByteOrder.LITTLE_ENDIAN, false);
    byte[] packed = switch (codec) {
      case "gzip" -> compress(plain, GZIPOutputStream::new);
      case "zstd" -> compress(plain, ZstdOutputStream::new);
      case "bzip2" -> compress(plain, BZip2CompressorOutputStream::new);
      default -> concat(compress(Arrays.copyOf(plain, 5000), GZIPOutputStream::new),
          compress(Arrays.copyOfRange(plain, 5000, plain.length), GZIPOutputStream::new));
    };
    ArrayByteSource src = new ArrayByteSource("c", packed);
    CaptureInfo info = Captures.sniff(src);
    assertEquals(codec.startsWith("gzip") ? "gzip" : codec, info.compression());
    assertFalse(info.splittable());
    assertNotNull(info.unsplittableReason());
    assertEquals(Reads.all(plain).records(), Reads.all(src).records());
    assertEquals(Reads.all(plain).records(), Reads.bySize(src, 1000));
    assertTrue(Reads.split(src, 1, Long.MAX_VALUE).records().isEmpty());
  }

  @Test
  void corruptGzipTailKeepsTheRecordsBeforeIt() throws IOException {
    byte[] plain = Fixtures.pcap(300, 8, ByteOrder.LITTLE_ENDIAN, false);
    byte[] gz = compress(plain, GZIPOutputStream::new);
    byte[] cut = Arrays.copyOf(gz, gz.length * 2 / 3);
    Reads.Result r = Reads.all(cut);
    assertTrue(r.records().size() > 10 && r.records().size() < 300, "read " + r.records().size());
    assertEquals(Reads.all(plain).records().subList(0, r.records().size()), r.records());
    assertTrue(r.count(CaptureReasons.DECOMPRESS_ERROR) + r.count(CaptureReasons.PCAP_TRUNCATED_RECORD) >= 1,
        r.problems().toString());
  }

  @Test
  void truncatedAtEveryByteOfTheLastRecord() throws IOException {
    byte[] file = threeRecords(ByteOrder.LITTLE_ENDIAN, false, 1);
    int lastStart = 24 + 16 + 3 + 16 + 4;
    for (int cut = lastStart + 1; cut < file.length; cut++) {
      Reads.Result r = Reads.all(Arrays.copyOf(file, cut));
      assertEquals(2, r.records().size(), "cut " + cut);
      assertEquals(1, r.stats().recordsBad(), "cut " + cut);
      assertEquals(cut - lastStart, r.stats().bytesSkipped(), "cut " + cut);
      assertEquals(1, r.count(CaptureReasons.PCAP_TRUNCATED_RECORD), "cut " + cut);
    }
    assertEquals(2, Reads.all(Arrays.copyOf(file, lastStart)).records().size());
    assertEquals(List.of(), Reads.all(Arrays.copyOf(file, lastStart)).problems());
  }

  @Test
  void truncatedFileHeaderEmptyFileAndNotACapture() throws IOException {
    byte[] file = threeRecords(ByteOrder.LITTLE_ENDIAN, false, 1);
    Reads.Result shortHeader = Reads.all(Arrays.copyOf(file, 20));
    assertEquals(1, shortHeader.count(CaptureReasons.PCAP_TRUNCATED_HEADER));
    assertEquals(1, Reads.all(new byte[0]).count(CaptureReasons.EMPTY));
    Reads.Result text = Reads.all("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
    assertEquals(1, text.count(CaptureReasons.NOT_A_CAPTURE));
    assertTrue(text.problems().get(0).detail().contains("474554"), text.problems().toString());
    assertEquals("unknown", text.info().format());
    assertEquals(0, text.records().size());
  }

  @Test
  void rejectsVersionsLibpcapRejects() throws IOException {
    byte[] file = threeRecords(ByteOrder.LITTLE_ENDIAN, false, 1);
    file[4] = 1; // version 1.4
    Reads.Result r = Reads.all(file);
    assertEquals(0, r.records().size());
    assertEquals(1, r.count(CaptureReasons.PCAP_BAD_VERSION));
  }

  @Test
  void garbageInTheMiddleIsSkippedAndEveryByteAccounted() throws IOException {
    byte[] a = Fixtures.pcap(50, 1, ByteOrder.LITTLE_ENDIAN, false);
    byte[] b = Fixtures.pcap(50, 2, ByteOrder.LITTLE_ENDIAN, false);
    byte[] garbage = new byte[777];
    new java.util.Random(3).nextBytes(garbage);
    byte[] file = concat(a, garbage, Arrays.copyOfRange(b, 24, b.length));
    Reads.Result r = Reads.all(file);
    assertEquals(100, r.records().size(), r.problems().toString());
    assertEquals(777, r.stats().bytesSkipped());
    assertEquals(1, r.count(CaptureReasons.PCAP_BAD_RECORD_HEADER), r.problems().toString());
    long inRecords = r.records().stream().mapToLong(x -> 16 + x.caplen()).sum();
    assertEquals(file.length, 24 + inRecords + r.stats().bytesSkipped());
    // every split offset around the garbage still reads each record exactly once
    for (int s = a.length - 200; s < a.length + 900; s++) {
      Reads.assertSame(r.records(), Reads.splits(new ArrayByteSource("g", file), 0, s, Long.MAX_VALUE), "split " + s);
    }
  }

  @Test
  void absurdCaplenNeverAllocatesAndIsSkipped() throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(bos, ByteOrder.LITTLE_ENDIAN, false, 65535, 1)) {
      w.write(T, new byte[100], 0, 100, 100);
      w.writeHeader(T, 0xFFFFFFFFL, 0xFFFFFFFFL);
      w.writeRaw(new byte[50], 0, 50);
      w.write(T, new byte[100], 0, 100, 100);
    }
    Reads.Result r = Reads.all(bos.toByteArray());
    assertTrue(r.stats().recordsOk() >= 1);
    assertEquals(1, r.count(CaptureReasons.PCAP_BAD_RECORD_HEADER) + r.count(CaptureReasons.PCAP_RECORD_TRIMMED),
        r.problems().toString());
  }

  @Test
  void origlenBelowCaplenIsABadHeader() throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(bos, ByteOrder.LITTLE_ENDIAN, false, 65535, 1)) {
      w.write(T, new byte[100], 0, 100, 100);
      w.write(T, new byte[100], 0, 100, 50);
      for (int i = 0; i < 5; i++) {
        w.write(T, new byte[60], 0, 60, 60);
      }
    }
    Reads.Result r = Reads.all(bos.toByteArray());
    assertEquals(6, r.records().size());
    assertEquals(116, r.stats().bytesSkipped());
    assertEquals(1, r.count(CaptureReasons.PCAP_BAD_RECORD_HEADER));
  }

  @Test
  void caplenAboveSnaplenIsToleratedAndReportedOnce() throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(bos, ByteOrder.BIG_ENDIAN, true, 64, 1)) {
      for (int i = 0; i < 3; i++) {
        w.write(T, new byte[200], 0, 200, 200);
      }
    }
    Reads.Result r = Reads.all(bos.toByteArray());
    assertEquals(3, r.records().size());
    assertEquals(1, r.count(CaptureReasons.PCAP_CAPLEN_EXCEEDS_SNAPLEN));
  }

  @Test
  void fileSourceReadsTheSameAsArraySource(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws IOException {
    byte[] file = Fixtures.pcap(500, 9, ByteOrder.BIG_ENDIAN, true);
    java.nio.file.Path p = dir.resolve("x.pcap");
    java.nio.file.Files.write(p, file);
    FileByteSource src = new FileByteSource(p);
    assertEquals(file.length, src.length());
    assertEquals(Reads.all(file).records(), Reads.all(src).records());
    assertEquals(Reads.all(file).records(), Reads.bySize(src, 4096));
  }

  interface Wrapper {
    OutputStream wrap(OutputStream o) throws IOException;
  }

  static byte[] compress(byte[] plain, Wrapper w) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (OutputStream o = w.wrap(bos)) {
      o.write(plain);
    }
    return bos.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }
}
