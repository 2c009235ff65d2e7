package io.pcaplake.http;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.MemorySegment;
import jdk.incubator.foreign.ResourceScope;
import jdk.incubator.foreign.SymbolLookup;

/**
 * libdeflate through JDK 17's incubating foreign-function API: no native code of ours to build. Only
 * {@link FastInflate} loads this class, reflectively, so a JVM without the module never sees it. Each thread has its
 * own decompressor and native buffers (grown on demand, at most {@link FastInflate#MAX_INPUT} in and
 * {@link FastInflate#MAX_OUTPUT} out). Linux file names only (libdeflate.so.0).
 */
final class LibDeflate implements FastInflate.Backend {
  private static final int SUCCESS = 0;
  private static final List<String> DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
      "/usr/lib64", "/usr/lib", "/usr/local/lib");
  private static final int CHUNK = FastInflate.PIECE;
  private static final Cleaner CLEANER = Cleaner.create();

  private final Path library;
  private final MethodHandle alloc;
  private final MethodHandle decompress;
  private final MethodHandle free;
  private final MethodHandle crc32;
  private final ThreadLocal<PerThread> perThread = ThreadLocal.withInitial(PerThread::new);

  LibDeflate() {
    library = find();
    System.load(library.toString());
    CLinker linker = CLinker.getInstance();
    SymbolLookup lookup = SymbolLookup.loaderLookup();
    alloc = linker.downcallHandle(symbol(lookup, "libdeflate_alloc_decompressor"),
        MethodType.methodType(MemoryAddress.class), FunctionDescriptor.of(CLinker.C_POINTER));
    free = linker.downcallHandle(symbol(lookup, "libdeflate_free_decompressor"),
        MethodType.methodType(void.class, MemoryAddress.class), FunctionDescriptor.ofVoid(CLinker.C_POINTER));
    // uint32_t libdeflate_crc32(uint32_t crc, const void *buffer, size_t len)
    crc32 = linker.downcallHandle(symbol(lookup, "libdeflate_crc32"),
        MethodType.methodType(int.class, int.class, MemoryAddress.class, long.class),
        FunctionDescriptor.of(CLinker.C_INT, CLinker.C_INT, CLinker.C_POINTER, CLinker.C_LONG));
    // enum libdeflate_result libdeflate_deflate_decompress_ex(struct libdeflate_decompressor *d, const void *in,
    //     size_t in_nbytes, void *out, size_t out_nbytes_avail, size_t *actual_in, size_t *actual_out)
    decompress = linker.downcallHandle(symbol(lookup, "libdeflate_deflate_decompress_ex"),
        MethodType.methodType(int.class, MemoryAddress.class, MemoryAddress.class, long.class, MemoryAddress.class,
            long.class, MemoryAddress.class, MemoryAddress.class),
        FunctionDescriptor.of(CLinker.C_INT, CLinker.C_POINTER, CLinker.C_POINTER, CLinker.C_LONG, CLinker.C_POINTER,
            CLinker.C_LONG, CLinker.C_POINTER, CLinker.C_POINTER));
    // Fail here, at load time, rather than on the first body: a decompressor must come back.
    new PerThread();
  }

  private static Path find() {
    String named = System.getProperty("pcaplake.libdeflate");
    if (named != null) {
      return Path.of(named);
    }
    for (String dir : DIRS) {
      Path p = Path.of(dir, "libdeflate.so.0");
      if (Files.isReadable(p)) {
        return p;
      }
    }
    throw new IllegalStateException("libdeflate.so.0 not found in " + DIRS + " (Debian: apt-get install libdeflate0)");
  }

  private static MemoryAddress symbol(SymbolLookup lookup, String name) {
    return lookup.lookup(name).orElseThrow(() -> new IllegalStateException("no symbol " + name));
  }

  @Override
  public long inflateGzip(byte[] in, int off, int len, int outCap, FastInflate.Output out, int want) {
    if (len > FastInflate.MAX_INPUT || outCap > FastInflate.MAX_OUTPUT || outCap < 0) {
      return -1;
    }
    PerThread t = perThread.get();
    // Copies go through direct ByteBuffer views: MemorySegment copies and MemoryAccess reads spin method-handle
    // forms that C2 then compiles, about 0.5 CPU-s per run on JDK 17 (JFR jdk.Compilation, BENCHMARKS.md).
    ByteBuffer input = t.input(len);
    input.put(0, in, off, len);
    ByteBuffer output = t.output(outCap);
    long n;
    try {
      int rc = (int) decompress.invokeExact(t.decompressor, t.inputAddress, (long) len, t.outputAddress,
          (long) outCap, t.sizesAddress, t.sizesAddress.addOffset(8));
      if (rc != SUCCESS) {
        return -1;
      }
      long used = t.sizes.getLong(0);
      n = t.sizes.getLong(8);
      // The trailer must follow and match: libdeflate accepts some streams zlib rejects (e.g. literal/length codes
      // 286-287 in fixed blocks), and a corrupt one of those would decode to bytes that fail the CRC.
      if (used + 8 > len || (int) crc32.invokeExact(0, t.outputAddress, n) != intAt(in, off + (int) used)
          || (int) n != intAt(in, off + (int) used + 4)) {
        return -1;
      }
    } catch (Throwable e) {
      throw new IllegalStateException("libdeflate", e);
    }
    long hand = Math.min(n, FastInflate.delivered(want));
    for (int p = 0; p < hand; p += CHUNK) {
      int k = (int) Math.min(CHUNK, hand - p);
      output.get(p, t.chunk, 0, k);
      out.write(t.chunk, 0, k);
    }
    return n;
  }

  private static int intAt(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
  }

  @Override
  public String toString() {
    return library.toString();
  }

  /**
   * One thread's decompressor and buffers, all freed when the holder is collected (after its thread ends).
   */
  private final class PerThread {
    final MemoryAddress decompressor;
    /** actual_in, actual_out (two size_t). */
    final ByteBuffer sizes;
    final MemoryAddress sizesAddress;
    final byte[] chunk = new byte[CHUNK];
    /** Native buffers and their addresses; a buffer's memory is freed when its segment's scope is collected. */
    private MemorySegment inputSegment;
    private ByteBuffer inputBuffer;
    MemoryAddress inputAddress;
    private MemorySegment outputSegment;
    private ByteBuffer outputBuffer;
    MemoryAddress outputAddress;

    PerThread() {
      MemorySegment s = MemorySegment.allocateNative(16, 8, ResourceScope.newImplicitScope());
      sizes = s.asByteBuffer().order(ByteOrder.nativeOrder());
      sizesAddress = s.address();
      input(64 * 1024);
      output(256 * 1024);
      try {
        decompressor = (MemoryAddress) alloc.invokeExact();
      } catch (Throwable e) {
        throw new IllegalStateException("libdeflate_alloc_decompressor", e);
      }
      if (decompressor.equals(MemoryAddress.NULL)) {
        throw new IllegalStateException("libdeflate_alloc_decompressor returned NULL");
      }
      MemoryAddress d = decompressor;
      MethodHandle f = free;
      CLEANER.register(this, () -> {
        try {
          f.invokeExact(d);
        } catch (Throwable e) {
          throw new IllegalStateException("libdeflate_free_decompressor", e);
        }
      });
    }

    ByteBuffer input(int len) {
      if (inputSegment == null || inputSegment.byteSize() < len) {
        long size = inputSegment == null ? len
            : Math.max(len, Math.min(inputSegment.byteSize() * 2, FastInflate.MAX_INPUT));
        inputSegment = MemorySegment.allocateNative(size, 64, ResourceScope.newImplicitScope());
        inputBuffer = inputSegment.asByteBuffer();
        inputAddress = inputSegment.address();
      }
      return inputBuffer;
    }

    ByteBuffer output(int cap) {
      if (outputSegment == null || outputSegment.byteSize() < Math.max(cap, 1)) {
        long size = outputSegment == null ? cap
            : Math.max(cap, Math.min(outputSegment.byteSize() * 2, FastInflate.MAX_OUTPUT));
        outputSegment = MemorySegment.allocateNative(Math.max(size, 1), 64, ResourceScope.newImplicitScope());
        outputBuffer = outputSegment.asByteBuffer();
        outputAddress = outputSegment.address();
      }
      return outputBuffer;
    }
  }
}
