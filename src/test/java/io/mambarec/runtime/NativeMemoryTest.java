package io.mambarec.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The huge-page switch and glibc's allocator, on the real C library. */
class NativeMemoryTest {

    private static final long MB = 1024 * 1024;

    @Test
    void setsThePyTorchVariableInTheProcessEnvironmentUnlessTheOperatorDid() {
        String operatorValue = System.getenv(NativeMemory.THP_VARIABLE);
        boolean enabled = NativeMemory.enableHugePages();
        String nativeValue = Native.load("c", NativeMemory.CLibrary.class).getenv(NativeMemory.THP_VARIABLE);
        if (operatorValue == null) {
            assertThat(nativeValue).isEqualTo("1");
            assertThat(enabled).isTrue();
        } else {
            assertThat(nativeValue).isEqualTo(operatorValue);
            assertThat(enabled).isEqualTo("1".equals(operatorValue));
        }
        // a second call changes nothing
        assertThat(NativeMemory.enableHugePages()).isEqualTo(enabled);
    }

    /**
     * 192 MB freed in 64 KiB blocks (below glibc's mmap threshold, so in an arena) under a block still
     * in use stay resident, as PyTorch's freed arrays do, until {@link NativeMemory#releaseFreeMemory}.
     */
    @Test
    void releasingHandsTheMemoryGlibcKeptFreedBackToTheSystem() {
        assumeTrue(Platform.isLinux() && NativeMemory.mallocHeap().isPresent(), "glibc 2.33+ on Linux");
        NativeMemory.releaseFreeMemory(); // what earlier tests left
        int block = 64 * 1024;
        long[] blocks = new long[3072];
        for (int k = 0; k < blocks.length; k++) {
            blocks[k] = Native.malloc(block);
            new Pointer(blocks[k]).setMemory(0, block, (byte) 1); // touched: resident
        }
        long pin = Native.malloc(block); // in use above them: they are not the arena's free top
        try {
            NativeMemory.MallocHeap inUse = NativeMemory.mallocHeap().orElseThrow();
            for (long address : blocks) {
                Native.free(address);
            }
            NativeMemory.MallocHeap freed = NativeMemory.mallocHeap().orElseThrow();
            assertThat(inUse.inUseBytes() - freed.inUseBytes()).isGreaterThan(180 * MB);
            assertThat(freed.freeBytes()).isGreaterThan(180 * MB);

            NativeMemory.Release release = NativeMemory.releaseFreeMemory().orElseThrow();
            assertThat(release.released()).isTrue();
            assertThat(release.heapBefore().freeBytes()).isGreaterThan(180 * MB);
            // the freed blocks were resident until now (other threads' allocations move it by a few MB)
            assertThat(release.residentBefore() - release.residentAfter()).isGreaterThan(150 * MB);
            assertThat(release.describe())
                    .matches(
                            "resident [0-9,]+ -> [0-9,]+ MB \\(glibc kept [0-9,]+ MB freed," + " [0-9,]+ MB in use\\)");
        } finally {
            Native.free(pin);
        }
    }

    /**
     * Direct buffers nothing refers to any more (as DJL's copies of Java arrays once their NDArrays
     * are closed and dropped) hold native memory until a collection: the release after a training
     * run collects first, and frees them.
     */
    @Test
    void theReleaseAfterARunFreesDirectBuffersNothingRefersTo() {
        assumeTrue(Platform.isLinux() && NativeMemory.mallocHeap().isPresent(), "glibc 2.33+ on Linux");
        NativeMemory.collectAndReleaseFreeMemory(); // what earlier tests left
        long before = NativeMemory.directBufferBytes();
        List<ByteBuffer> buffers = touchedDirectBuffers(96);
        assertThat(NativeMemory.directBufferBytes() - before).isGreaterThanOrEqualTo(96 * MB);
        buffers.clear(); // unreachable now, but still allocated until a collection finds them

        NativeMemory.Release release =
                NativeMemory.collectAndReleaseFreeMemory().orElseThrow();

        assertThat(release.directBuffersFreed()).isGreaterThanOrEqualTo(90 * MB);
        assertThat(NativeMemory.directBufferBytes() - before).isLessThan(6 * MB);
        assertThat(release.describe()).matches(".* MB in use\\), a collection freed [0-9,]+ MB of direct buffers");
    }

    /**
     * Between epochs: nothing while the memory held for nothing is under the limit, a collection and
     * a trim once it has reached it, which frees the direct buffers nothing refers to.
     */
    @Test
    void betweenEpochsReleasesOnlyOnceTheRetainedMemoryReachesTheLimit() {
        assumeTrue(Platform.isLinux() && NativeMemory.mallocHeap().isPresent(), "glibc 2.33+ on Linux");
        NativeMemory.collectAndReleaseFreeMemory(); // what earlier tests left
        assertThat(NativeMemory.releaseWhenRetainedReaches(NativeMemory.retainedBytes() + 256 * MB))
                .isEmpty();

        long before = NativeMemory.directBufferBytes();
        List<ByteBuffer> buffers = touchedDirectBuffers(96);
        buffers.clear();
        long retained = NativeMemory.retainedBytes();
        assertThat(retained).isGreaterThanOrEqualTo(96 * MB);

        NativeMemory.Release release =
                NativeMemory.releaseWhenRetainedReaches(retained - 32 * MB).orElseThrow();
        assertThat(release.directBuffersFreed()).isGreaterThanOrEqualTo(90 * MB);
        assertThat(NativeMemory.directBufferBytes() - before).isLessThan(6 * MB);
    }

    /** {@code count} direct buffers of 1 MB, each touched (as DJL's copies of Java arrays). */
    private static List<ByteBuffer> touchedDirectBuffers(int count) {
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect((int) MB);
            buffer.put(0, (byte) 1);
            buffers.add(buffer);
        }
        return buffers;
    }
}
