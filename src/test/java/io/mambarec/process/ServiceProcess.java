package io.mambarec.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code target/mambarec.jar} running as a child OS process: a real start, a real SIGTERM
 * ({@link #stop()}) or SIGKILL ({@link #kill()}), its own port and log file. Properties are passed as
 * command-line arguments; a restart is {@link #restart()}: a new process with the same arguments.
 */
final class ServiceProcess implements AutoCloseable {

    static final String ADMIN_KEY = "process-test-admin";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Every child started, killed when the test JVM exits (a timed-out or interrupted test included). */
    private static final java.util.Set<Process> CHILDREN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> CHILDREN.forEach(Process::destroyForcibly)));
    }

    private final String name;
    private final List<String> command;
    private final int port;
    private final Path log;
    private Process process;
    private int starts;

    private ServiceProcess(String name, List<String> command, int port, Path log) {
        this.name = name;
        this.command = command;
        this.port = port;
        this.log = log;
    }

    /** Starts the jar with {@code properties} (key=value), one PyTorch thread, on a free port. */
    static ServiceProcess start(String name, Map<String, String> properties) {
        int port = freePort();
        List<String> command = new ArrayList<>(
                List.of(javaBinary(), "-Xmx768m", "-Dai.djl.pytorch.num_threads=1", "-jar", jar().toString()));
        Map<String, String> all = new LinkedHashMap<>();
        all.put("server.port", Integer.toString(port));
        all.put("mambarec.replica-id", name);
        all.put("mambarec.security.admin-api-key", ADMIN_KEY);
        all.put("mambarec.registry.poll-interval", "500ms");
        all.put("mambarec.jobs.poll-interval", "500ms");
        all.putAll(properties);
        all.forEach((k, v) -> command.add("--" + k + "=" + v));
        Path log = Path.of("target", "process-logs", name + ".log");
        ServiceProcess service = new ServiceProcess(name, command, port, log);
        service.launch();
        return service;
    }

    private void launch() {
        try {
            Files.createDirectories(log.getParent());
            starts++;
            Files.writeString(
                    log,
                    "---- start " + starts + ": " + String.join(" ", command) + "\n",
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            CHILDREN.add(process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new process with the same arguments (same port, same replica id, same database). */
    void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " is still running");
        }
        launch();
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the JVM gets no chance to clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as a rollout or a node drain sends it; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            throw new IllegalStateException(name + " did not stop within 90 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    /** The process's output so far, for assertion messages. */
    String logTail() {
        try {
            List<String> lines = logLines();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Every line the process (and its earlier runs under this name) wrote so far. */
    List<String> logLines() throws IOException {
        return Files.readAllLines(log);
    }

    boolean ready() {
        try {
            return get("/actuator/health/readiness").status() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    record Response(int status, JsonNode body) {}

    Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Response post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .header("X-API-Key", ADMIN_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response put(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .header("X-API-Key", ADMIN_KEY)
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response patch(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .header("X-API-Key", ADMIN_KEY)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    Response delete(String path) {
        return send(
                HttpRequest.newBuilder(uri(path)).header("X-API-Key", ADMIN_KEY).DELETE());
    }

    /** The model version {@code /recommend} answers with for a known user (0: none, the popular fallback). */
    long servedVersion() {
        Response r = get("/recommend/demo-user-0001?k=5");
        JsonNode version = r.body().get("modelVersion");
        return version == null || version.isNull() ? 0 : version.asLong();
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Response(
                    response.statusCode(), body == null || body.isBlank() ? JSON.nullNode() : JSON.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static Path jar() {
        Path jar = Path.of(System.getProperty("mambarec.jar", "target/mambarec.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the process tests run after `package` (./mvnw verify)");
        }
        return jar.toAbsolutePath();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
