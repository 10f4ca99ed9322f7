package io.mambarec.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Settings of the process's native memory that PyTorch reads, made from inside the JVM (the
 * command line stays {@code java -jar}), before the engine's library is loaded.
 *
 * <p>{@code THP_MEM_ALLOC_ENABLE=1}: PyTorch's CPU allocator then aligns every tensor of 2 MiB or
 * more to 2 MiB and advises the kernel to back it with transparent huge pages
 * ({@code madvise(MADV_HUGEPAGE)}; the machine's THP mode is {@code madvise}, so nothing else is
 * affected). A training step allocates and frees arrays of 2-9 MB by the dozen (DREAM's N x 5d
 * activations, the graph's (U + I) x d layers and gradients); memory the C library has handed
 * back to the kernel in between is mapped in again on first touch, one fault per 4 KiB page
 * (several microseconds each on a virtual machine), or one per 2 MiB with huge pages. An operator
 * who sets the variable keeps their value.
 */
public final class NativeMemory {

    static final String THP_VARIABLE = "THP_MEM_ALLOC_ENABLE";

    private static volatile boolean applied;

    private NativeMemory() {}

    /** The C library's environment functions (the JVM's own copy of the environment is read-only). */
    interface CLibrary extends Library {
        int setenv(String name, String value, int overwrite);

        String getenv(String name);
    }

    /**
     * Sets {@code THP_MEM_ALLOC_ENABLE=1} in the process environment unless it is set already.
     * Call before the PyTorch library is loaded (PyTorch reads it once); on anything but Linux, or
     * where the C library cannot be reached, nothing happens.
     *
     * @return whether the variable is {@code 1} now (PyTorch ignores any value but 0 and 1)
     */
    public static synchronized boolean enableHugePages() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            CLibrary c = Native.load("c", CLibrary.class);
            if (!applied && System.getenv(THP_VARIABLE) == null) {
                c.setenv(THP_VARIABLE, "1", 0);
            }
            applied = true;
            return "1".equals(c.getenv(THP_VARIABLE)); // PyTorch takes "1" and "0" only
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false;
        }
    }
}
