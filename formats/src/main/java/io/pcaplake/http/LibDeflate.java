package io.pcaplake.http;

import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.incubator.foreign.CLinker;
import jdk.incubator.foreign.FunctionDescriptor;
import jdk.incubator.foreign.MemoryAccess;
import jdk.incubator.foreign.MemoryAddress;
import jdk.incubator.foreign.MemorySegment;
import jdk.incubator.foreign.ResourceScope;
import jdk.incubator.foreign.SymbolLookup;

/**
 * libdeflate through JDK 17's incubating foreign-function API: no native code of ours to build. Only {@link FastInflate}
 * loads this class, reflectively, so a JVM without the module never sees it. Each thread has its own decompressor and
 * native buffers (grown on demand, at most {@link FastInflate#MAX_INPUT} in and {@link FastInflate#MAX_OUTPUT} out).
 */
final class LibDeflate implements FastInflate.Backend {
  private static final int SUCCESS = 0;
  private static final List<String> DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
      "/usr/lib64", "/usr/lib", "/usr/local/lib", "/opt/homebrew/lib");
  private static final int CHUNK = 64 * 1024;
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
  public long inflateGzip(byte[] in, int off, int len, int outCap, FastInflate.Output out) {
    if (len > FastInflate.MAX_INPUT || outCap > FastInflate.MAX_OUTPUT || outCap < 0) {
      return -1;
    }
    PerThread t = perThread.get();
    MemorySegment input = t.input(len);
    input.asSlice(0, len).copyFrom(MemorySegment.ofArray(in).asSlice(off, len));
    MemorySegment output = t.output(outCap);
    long n;
    try {
      int rc = (int) decompress.invokeExact(t.decompressor, input.address(), (long) len, output.address(),
          (long) outCap, t.sizes.address(), t.sizes.address().addOffset(8));
      if (rc != SUCCESS) {
        return -1;
      }
      long used = MemoryAccess.getLongAtOffset(t.sizes, 0);
      n = MemoryAccess.getLongAtOffset(t.sizes, 8);
      // The trailer must follow and match: libdeflate accepts some streams zlib rejects (e.g. literal/length codes
      // 286-287 in fixed blocks), and a corrupt one of those would decode to bytes that fail the CRC.
      if (used + 8 > len || (int) crc32.invokeExact(0, output.address(), n) != intAt(in, off + (int) used)
          || (int) n != intAt(in, off + (int) used + 4)) {
        return -1;
      }
    } catch (Throwable e) {
      throw new IllegalStateException("libdeflate", e);
    }
    for (long p = 0; p < n; p += CHUNK) {
      int k = (int) Math.min(CHUNK, n - p);
      MemorySegment.ofArray(t.chunk).asSlice(0, k).copyFrom(output.asSlice(p, k));
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
    final ResourceScope scope = ResourceScope.newImplicitScope();
    final MemoryAddress decompressor;
    /** actual_in, actual_out (two size_t). */
    final MemorySegment sizes = MemorySegment.allocateNative(16, 8, scope);
    final byte[] chunk = new byte[CHUNK];
    private MemorySegment input = MemorySegment.allocateNative(64 * 1024, 64, scope);
    private MemorySegment output = MemorySegment.allocateNative(256 * 1024, 64, scope);

    PerThread() {
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

    MemorySegment input(int len) {
      if (input.byteSize() < len) {
        input = MemorySegment.allocateNative(Math.max(len, Math.min(input.byteSize() * 2, FastInflate.MAX_INPUT)), 64,
            ResourceScope.newImplicitScope());
      }
      return input;
    }

    MemorySegment output(int cap) {
      if (output.byteSize() < Math.max(cap, 1)) {
        output = MemorySegment.allocateNative(Math.max(cap, Math.min(output.byteSize() * 2, FastInflate.MAX_OUTPUT)),
            64, ResourceScope.newImplicitScope());
      }
      return output;
    }
  }
}
