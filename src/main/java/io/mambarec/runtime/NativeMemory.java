package io.mambarec.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Structure;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The process's native memory, from inside the JVM (the command line stays {@code java -jar}):
 * settings PyTorch reads before the engine's library is loaded, and glibc's allocator.
 *
 * <p>{@code THP_MEM_ALLOC_ENABLE=1}: PyTorch's CPU allocator then aligns every tensor of 2 MiB or
 * more to 2 MiB and advises the kernel to back it with transparent huge pages
 * ({@code madvise(MADV_HUGEPAGE)}; the machine's THP mode is {@code madvise}, so nothing else is
 * affected). A training step allocates and frees arrays of 2-9 MB by the dozen (DREAM's N x 5d
 * activations, the graph's (U + I) x d layers and gradients); memory the C library has handed
 * back to the kernel in between is mapped in again on first touch, one fault per 4 KiB page
 * (several microseconds each on a virtual machine), or one per 2 MiB with huge pages. An operator
 * who sets the variable keeps their value.
 *
 * <p>{@link #releaseFreeMemory}: PyTorch allocates with glibc's {@code malloc}, which keeps what
 * is freed in its arenas for reuse and returns to the kernel only the free top of an arena. A run
 * that ends (a search's point, a job) frees its model, graphs and Adam state, but the arenas keep
 * the pages resident, and the next run's arrays (other sizes: other settings) do not fit all the
 * holes, so resident memory grows run after run. {@code malloc_trim(0)} hands every free page of
 * every arena back ({@code MADV_DONTNEED}); the next run faults them in again.
 *
 * <p>{@link #collectAndReleaseFreeMemory}: the same after a garbage collection, for the end of a
 * training run. DJL copies every Java array it makes an NDArray of through a direct buffer, which
 * the NDArray's Java object holds until the collector finds both unreachable: closing the array
 * frees the tensor, not the buffer. In a long search the heap grows and old-generation collections
 * become rare, so these buffers piled up in glibc's heap: a 60-minute TikTok search (2026-12-06)
 * went from 131 to 893 MB "in use" over its 22 runs, and one collection in a grid run took the
 * direct buffers from 92 to 25 MB and resident memory down by 330 MB.
 */
public final class NativeMemory {

    static final String THP_VARIABLE = "THP_MEM_ALLOC_ENABLE";
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final long MB = 1024 * 1024;
    /** How long a release after a collection waits for the reference handler to free direct buffers. */
    static final long DIRECT_BUFFERS_WAIT_MS = 200;

    private static volatile boolean applied;

    private NativeMemory() {}

    /** The C library's environment and allocator functions (the JVM's own copy of the environment is read-only). */
    interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);

        String getenv(String name);

        /** Returns free memory at the top of the heap and free whole pages inside every arena; 1 if any was. */
        int malloc_trim(long pad);

        /** glibc 2.33 and later. */
        MallInfo2 mallinfo2();
    }

    /** glibc's {@code struct mallinfo2} (every field a {@code size_t}), summed over all arenas. */
    @Structure.FieldOrder({
        "arena",
        "ordblks",
        "smblks",
        "hblks",
        "hblkhd",
        "usmblks",
        "fsmblks",
        "uordblks",
        "fordblks",
        "keepcost"
    })
    public static class MallInfo2 extends Structure implements Structure.ByValue {
        public long arena;
        public long ordblks;
        public long smblks;
        public long hblks;
        public long hblkhd;
        public long usmblks;
        public long fsmblks;
        public long uordblks;
        public long fordblks;
        public long keepcost;
    }

    /**
     * glibc's heap: bytes of live allocations (in arenas and mapped on their own) and bytes freed
     * but kept in the arenas.
     */
    public record MallocHeap(long inUseBytes, long freeBytes) {}

    /**
     * What {@link #releaseFreeMemory} did: the resident set before and after, glibc's heap before.
     *
     * @param released whether glibc returned any memory
     * @param directBuffersFreed bytes of direct buffers the collection before it freed (0 without one)
     */
    public record Release(
            long residentBefore, long residentAfter, MallocHeap heapBefore, boolean released, long directBuffersFreed) {

        /**
         * "resident 2,310 -> 1,190 MB (glibc kept 1,052 MB freed, 83 MB in use)", and after a
         * collection that freed direct buffers ", a collection freed 67 MB of direct buffers".
         */
        public String describe() {
            String line = String.format(
                    Locale.ROOT,
                    "resident %,d -> %,d MB (glibc kept %,d MB freed, %,d MB in use)",
                    residentBefore / MB,
                    residentAfter / MB,
                    heapBefore.freeBytes() / MB,
                    heapBefore.inUseBytes() / MB);
            return directBuffersFreed >= MB
                    ? line
                            + String.format(
                                    Locale.ROOT,
                                    ", a collection freed %,d MB of direct buffers",
                                    directBuffersFreed / MB)
                    : line;
        }
    }

    /** The C library, loaded once; null off Linux or where it cannot be reached. */
    private static final class C {
        static final CLibrary LIBRARY = load();

        private static CLibrary load() {
            if (!Platform.isLinux()) {
                return null;
            }
            try {
                return Native.load("c", CLibrary.class);
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                return null;
            }
        }
    }

    /**
     * Sets {@code THP_MEM_ALLOC_ENABLE=1} in the process environment unless it is set already.
     * Call before the PyTorch library is loaded (PyTorch reads it once); on anything but Linux, or
     * where the C library cannot be reached, nothing happens.
     *
     * @return whether the variable is {@code 1} now (PyTorch ignores any value but 0 and 1)
     */
    public static synchronized boolean enableHugePages() {
        CLibrary c = C.LIBRARY;
        if (c == null) {
            return false;
        }
        try {
            if (!applied && System.getenv(THP_VARIABLE) == null) {
                c.setenv(THP_VARIABLE, "1", 0);
            }
            applied = true;
            return "1".equals(c.getenv(THP_VARIABLE)); // PyTorch takes "1" and "0" only
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }

    /** glibc's heap now; empty off glibc 2.33+ on Linux. */
    public static Optional<MallocHeap> mallocHeap() {
        CLibrary c = C.LIBRARY;
        if (c == null) {
            return Optional.empty();
        }
        try {
            MallInfo2 info = c.mallinfo2();
            return Optional.of(new MallocHeap(info.uordblks + info.hblkhd, info.fordblks));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The process's resident set (VmRSS), where /proc tells it. */
    public static OptionalLong residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return OptionalLong.empty();
    }

    /**
     * Hands the memory glibc keeps freed back to the kernel ({@code malloc_trim(0)}): call when a
     * run has freed its arrays (a search's point after its rung, a job at its end). It walks every
     * arena under its lock, a few milliseconds; the pages the next run touches fault in again.
     *
     * @return what it did; empty off Linux with glibc 2.33+
     */
    public static Optional<Release> releaseFreeMemory() {
        return trim(0);
    }

    /**
     * A full garbage collection, then {@link #releaseFreeMemory}: call when a training run has
     * ended (a search's rung, a grid point, a job's attempt), where a fraction of a second of
     * collection is nothing against the run; not on a serving path. The direct buffers the
     * collection finds unreachable are freed by the JVM's reference handler just after it, which
     * this waits for (at most {@value #DIRECT_BUFFERS_WAIT_MS} ms) before trimming.
     *
     * @return what it did; empty off Linux with glibc 2.33+ (the collection is made anyway)
     */
    public static Optional<Release> collectAndReleaseFreeMemory() {
        long before = directBufferBytes();
        System.gc();
        long after = awaitDirectBuffersFreed(before);
        return trim(Math.max(0, before - after));
    }

    /**
     * {@link #collectAndReleaseFreeMemory} when the memory held for nothing has reached {@code
     * limitBytes}: direct buffers not yet collected plus what glibc keeps freed; call between the
     * epochs of a long run. Within one run the buffers pile up too: the heap is large and young
     * collections rare when most of the memory is native, and the holes they leave keep glibc's
     * heap from shrinking (a 1M-interaction shop's run, 2026-12-06: resident 2.5 -> 4.0 GB over 30
     * epochs; one collection freed 590 MB, the trim after it 900 MB more). Under the limit it costs
     * two counters' reads, so runs that stay small (TikTok) never pay a collection.
     *
     * @return what a release did; empty when none was due (or off Linux with glibc 2.33+)
     */
    public static Optional<Release> releaseWhenRetainedReaches(long limitBytes) {
        return retainedBytes() >= limitBytes ? collectAndReleaseFreeMemory() : Optional.empty();
    }

    /**
     * Direct buffers (those still referred to as well: only a collection can tell them apart) plus
     * glibc's free heap. Buffers malloc carves out of the free heap leave the sum unchanged: those
     * pages were resident already.
     */
    static long retainedBytes() {
        return directBufferBytes() + mallocHeap().map(MallocHeap::freeBytes).orElse(0L);
    }

    /** Bytes of the JVM's direct buffers now (the {@code direct} buffer pool). */
    static long directBufferBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> "direct".equals(pool.getName()))
                .mapToLong(BufferPoolMXBean::getMemoryUsed)
                .sum();
    }

    /**
     * Polls the direct pool until it has fallen below {@code before} and then held still for one
     * poll, or the wait is over; returns its last size.
     */
    private static long awaitDirectBuffersFreed(long before) {
        long deadline = System.nanoTime() + DIRECT_BUFFERS_WAIT_MS * 1_000_000;
        long previous = directBufferBytes();
        while (System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            long now = directBufferBytes();
            if (now == previous && now < before) {
                break;
            }
            previous = now;
        }
        return directBufferBytes();
    }

    private static synchronized Optional<Release> trim(long directBuffersFreed) {
        CLibrary c = C.LIBRARY;
        Optional<MallocHeap> heap = mallocHeap();
        OptionalLong before = residentBytes();
        if (c == null || heap.isEmpty() || before.isEmpty()) {
            return Optional.empty();
        }
        try {
            boolean released = c.malloc_trim(0) == 1;
            return Optional.of(new Release(
                    before.getAsLong(),
                    residentBytes().orElse(before.getAsLong()),
                    heap.get(),
                    released,
                    directBuffersFreed));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return Optional.empty();
        }
    }
}
