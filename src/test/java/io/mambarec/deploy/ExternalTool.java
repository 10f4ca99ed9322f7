package io.mambarec.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;

/**
 * A command line tool from a Debian package (promtool, prometheus, docker-compose), run with a time
 * bound. In CI (CI=true) a missing tool fails the test: .ci/run installs it. Elsewhere the test
 * is skipped with a note saying what to install.
 */
record ExternalTool(String name, String debianPackage) {

    static final ExternalTool PROMTOOL = new ExternalTool("promtool", "prometheus");
    static final ExternalTool PROMETHEUS = new ExternalTool("prometheus", "prometheus");
    static final ExternalTool DOCKER_COMPOSE = new ExternalTool("docker-compose", "docker-compose");
    static final ExternalTool AMTOOL = new ExternalTool("amtool", "prometheus-alertmanager");

    /** Output (stdout and stderr merged) and exit code of one finished run. */
    record Result(int exitCode, String output) {}

    /** The tool's path; fails in CI and skips elsewhere when it is not installed. */
    Path require() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message =
                name + " is not installed (Debian package " + debianPackage + "; .ci/run installs it with apt-get)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message);
        return null;
    }

    Result run(Duration timeout, Path workingDir, String... args) {
        return run(timeout, workingDir, env -> {}, args);
    }

    /** Runs the tool to completion (killed and failed after {@code timeout}). */
    Result run(Duration timeout, Path workingDir, Consumer<Map<String, String>> environment, String... args) {
        List<String> command = new java.util.ArrayList<>();
        command.add(require().toString());
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
        environment.accept(builder.environment());
        try {
            Path log = Files.createTempFile(name + "-", ".log");
            builder.redirectOutput(log.toFile());
            Process process = builder.start();
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    fail(name + " did not finish within " + timeout + ": " + command);
                }
                return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                process.destroyForcibly();
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }
}
