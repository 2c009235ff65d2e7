package io.pcaplake.fuzz;

import io.pcaplake.capture.PcapWriter;
import io.pcaplake.capture.PcapngWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;

/**
 * Turns fuzzer bytes into captures made by the project's own writers, so the fuzzer reaches deep into the readers
 * instead of dying at the magic number. Layouts are documented in {@code docs/fuzzing.md}.
 */
final class CaptureBuilder {
  private CaptureBuilder() { }

  /** A plausible capture time: 2023-11-14, so split starts (which need ts_sec >= 10^6 or 10^9) can find records. */
  static final long BASE_SECONDS = 1_700_000_000L;

  /** pcap file header only, then whatever bytes follow. */
  static byte[] pcapHeader(boolean le, boolean ns, int snaplen, int linkType) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(out, FuzzSupport.order(le), ns, snaplen, linkType)) {
      w.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * A pcap built from ops. With {@code wellFormed} only valid records (caplen = bytes written, caplen <= origlen,
   * timestamps ascending by under a day); otherwise also raw garbage and arbitrary record headers.
   */
  static byte[] pcap(FuzzSupport.In in, boolean le, boolean ns, int snaplen, boolean wellFormed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(out, FuzzSupport.order(le), ns, snaplen, 1)) {
      long sec = BASE_SECONDS;
      int records = 0;
      while (in.more() && records++ < 512) {
        int op = in.u8();
        sec += op >>> 6; // 0..3 s per record
        long ts = sec * 1_000_000_000L + (ns ? in.u16() * 15_259L : in.u16() * 15_000L);
        int kind = op & 7;
        if (wellFormed || kind < 5) {
          int caplen = (op & 8) != 0 ? in.u16() % 2048 : in.u8();
          byte[] payload = in.bytes(caplen);
          int origlen = payload.length + ((op & 16) != 0 ? in.u8() : 0);
          if (payload.length == 0 && origlen == 0) {
            origlen = 1; // a real record has a wire length
          }
          w.write(ts, payload, 0, payload.length, origlen);
        } else if (kind == 5) {
          w.writeHeader(ts, in.u32(), in.u32());
        } else {
          byte[] junk = in.bytes(in.u8());
          w.writeRaw(junk, 0, junk.length);
        }
      }
      w.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** pcapng: SHB, then ops (EPB, SPB, PB, IDB, ISB, NRB, new section, custom/unknown blocks, raw garbage). */
  static byte[] pcapng(FuzzSupport.In in, boolean le, boolean wellFormed) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapngWriter w = new PcapngWriter(out, FuzzSupport.order(le))) {
      int ifaces = 0;
      long sec = BASE_SECONDS;
      int blocks = 0;
      if (!in.more() || wellFormed) {
        w.addInterface(1, 65535, 6, 0, -1);
        ifaces = 1;
      }
      while (in.more() && blocks++ < 512) {
        int op = in.u8();
        sec += op >>> 6;
        long ts = sec * 1_000_000_000L + in.u16() * 15_000L;
        int kind = op & 15;
        if (ifaces == 0 && kind < 4) {
          kind = 4;
        }
        switch (kind) {
          case 0, 1, 2 -> {
            byte[] payload = in.bytes((op & 16) != 0 ? in.u16() % 2048 : in.u8());
            int iface = in.u8() % ifaces;
            int origlen = Math.max(1, payload.length + ((op & 32) != 0 ? in.u8() : 0));
            w.writeEpb(iface, ts, payload, 0, payload.length, origlen);
          }
          case 3 -> {
            byte[] payload = in.bytes(in.u8());
            w.writeObsoletePb(in.u8() % ifaces, ts, payload, 0, payload.length, Math.max(1, payload.length));
          }
          case 4, 5 -> {
            int tsresol = switch (in.u8() & 3) {
              case 0 -> 6;
              case 1 -> 9;
              case 2 -> 0x80 | (in.u8() & 63);
              default -> in.u8() & 15;
            };
            w.addInterface(wellFormed ? 1 : in.u16(), wellFormed ? 65535 : (int) in.u32(), tsresol,
                wellFormed ? 0 : (byte) in.u8(), wellFormed ? -1 : (in.u8() & 7) - 1);
            ifaces++;
          }
          case 6 -> {
            byte[] payload = in.bytes(in.u8());
            if (ifaces > 0) {
              w.writeSpb(payload, 0, payload.length);
            }
          }
          case 7 -> {
            if (ifaces > 0) {
              w.writeIsb(0, ts);
            }
          }
          case 8 -> w.writeNrb(new byte[] {10, 0, 0, (byte) in.u8()}, "h" + in.u8());
          case 9 -> {
            w.newSection(FuzzSupport.order(in.bool()));
            ifaces = 0;
            if (wellFormed) {
              w.addInterface(1, 65535, 6, 0, -1);
              ifaces = 1;
            }
          }
          case 10 -> w.writeCustomBlock((int) in.u32(), in.bytes(in.u8()));
          default -> {
            if (wellFormed) {
              w.writeCustomBlock(32473, in.bytes(in.u8()));
            } else if (kind == 11) {
              w.writeBlock((int) in.u32(), in.bytes(in.u8()));
            } else {
              byte[] junk = in.bytes(in.u8());
              w.writeRaw(junk, 0, junk.length);
            }
          }
        }
        if (ifaces == 0 && wellFormed) {
          w.addInterface(1, 65535, 6, 0, -1);
          ifaces = 1;
        }
      }
      w.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
