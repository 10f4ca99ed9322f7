package io.mambarec.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL's postmaster outlives a JVM killed with {@code kill -9}, still holding
 * its data directory ({@code postmaster.pid}), and the next start would fail ("lock file already
 * exists"). This stops such an orphan: the process named in {@code postmaster.pid}, if it is alive
 * and is a postgres server for this very directory, gets SIGTERM (PostgreSQL's smart shutdown:
 * its clients died with the JVM) and, if it has not exited after 30 s, SIGKILL; PostgreSQL then
 * recovers from its write-ahead log at the next start, losing no committed transaction.
 */
final class OrphanedPostmaster {

    private static final Logger log = LoggerFactory.getLogger(OrphanedPostmaster.class);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private OrphanedPostmaster() {}

    static void stopIfRunning(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).trim().matches("\\d+")) {
            return;
        }
        long pid = Long.parseLong(lines.get(0).trim());
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty() || !isPostgresFor(pid, dataDir, lines)) {
            return; // a stale file of a dead server: PostgreSQL itself replaces it
        }
        log.warn(
                "an embedded PostgreSQL left by an earlier process (pid {}) still holds {}: stopping it", pid, dataDir);
        ProcessHandle postmaster = process.get();
        postmaster.destroy();
        if (!waitForExit(postmaster)) {
            log.warn(
                    "PostgreSQL pid {} did not stop within {}: killing it (it recovers from its WAL at start)",
                    pid,
                    PATIENCE);
            postmaster.destroyForcibly();
            waitForExit(postmaster);
        }
    }

    private static boolean isPostgresFor(long pid, Path dataDir, List<String> pidLines) {
        try {
            String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))
                    .replace('\0', ' ');
            boolean postgres = cmdline.contains("postgres");
            boolean sameDir = pidLines.size() > 1
                    && Path.of(pidLines.get(1).trim())
                            .toAbsolutePath()
                            .normalize()
                            .equals(dataDir.toAbsolutePath().normalize());
            return postgres && sameDir;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean waitForExit(ProcessHandle process) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !process.isAlive();
            }
        }
        return !process.isAlive();
    }
}
