package io.mambarec.cli;

import io.mambarec.runtime.NativeMemory;
import java.util.Locale;
import java.util.OptionalLong;

/** The process's resident memory (heap plus DJL's native memory), for the per-epoch progress line. */
final class ResidentMemory {

    private ResidentMemory() {}

    /** "  rss 812 MB" on Linux, "" where /proc is not available. */
    static String describe() {
        OptionalLong bytes = NativeMemory.residentBytes();
        return bytes.isEmpty() ? "" : String.format(Locale.ROOT, "  rss %d MB", bytes.getAsLong() / (1024 * 1024));
    }
}
