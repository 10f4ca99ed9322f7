package io.mambarec.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.testsupport.PostgresTestDatabase;
import io.mambarec.testsupport.ScratchDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test's main class run in a JVM of its own with a small heap: its exit code and output. {@code heap}
 * is one JVM option or several separated by spaces.
 */
public record SmallHeapProbe(int exit, String output) {

    /** Runs {@code main} with {@code database}'s URL, user and password, then {@code args}. */
    public static SmallHeapProbe run(String heap, Class<?> main, ScratchDatabase database, String... args)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(
                database.url(),
                PostgresTestDatabase.username(),
                PostgresTestDatabase.password() == null ? "" : PostgresTestDatabase.password()));
        all.addAll(List.of(args));
        return run(heap, main, all.toArray(String[]::new));
    }

    public static SmallHeapProbe run(String heap, Class<?> main, String... args)
            throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(heap.split(" ")));
        command.addAll(List.of("-cp", classpath, main.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new SmallHeapProbe(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
