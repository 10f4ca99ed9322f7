package io.mambarec.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The process's resident memory (heap plus DJL's native memory), for the per-epoch progress line. */
final class ResidentMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ResidentMemory() {}

    /** "  rss 812 MB" on Linux, "" where /proc is not available. */
    static String describe() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "  rss %d MB", kb / 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return "";
    }
}
