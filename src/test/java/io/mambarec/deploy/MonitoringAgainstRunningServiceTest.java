package io.mambarec.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.mambarec.metrics.MetricNames;
import io.mambarec.metrics.ServiceMetrics;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.TestHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard and alert rules against the running service (a Spring context of its own, see
 * below): every metric they use is one /actuator/prometheus really
 * exports, and a real Prometheus (Debian package) with the project's scrape config collects the
 * service's metrics and evaluates every dashboard query and alert rule.
 *
 * <p>Debian's Prometheus is 2.42, which drops a whole scrape that carries an exemplar on a
 * summary's {@code _count} (accepted from Prometheus 2.43 on; the compose file and the chart run
 * 2.53). The service attaches trace exemplars to every timer recorded inside a sampled span, so
 * this context samples no span: its scrapes then never depend on whether a sampled request
 * happened to take a database connection.
 */
@PostgresSpringBootTest(properties = "management.tracing.sampling.probability=0.0")
class MonitoringAgainstRunningServiceTest {

    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\{([^}]*)}");
    /** What Micrometer appends to a meter's name in Prometheus: the base unit, then the series' suffix. */
    private static final Pattern MICROMETER_SUFFIX =
            Pattern.compile("(_seconds|_bytes)?(_total|_bucket|_count|_sum|_max|_created)?");
    /** Labels Prometheus adds to every scraped series. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

    private static final Duration PROMETHEUS_DEADLINE = Duration.ofSeconds(90);

    @Autowired
    WebServerApplicationContext context;
    /** The live port: a cached test context that was paused and resumed listens on a new one. */
    private int port;

    @BeforeEach
    void livePort() {
        port = context.getWebServer().getPort();
    }

    @Test
    void everyMetricOfTheDashboardAndTheAlertRulesIsExported() {
        Map<String, Set<String>> exported = exportedSeries();
        List<String> missing = new ArrayList<>();
        MonitoringQueries.allQueries().forEach((where, query) -> {
            for (String name : MonitoringQueries.metricNames(query)) {
                if (!MonitoringQueries.PROMETHEUS_OWN_SERIES.contains(name) && !exported.containsKey(name)) {
                    missing.add(name + " (" + where + ")");
                }
            }
            // label matchers name labels the series really have
            Matcher selector = SELECTOR.matcher(query);
            while (selector.find()) {
                Set<String> labels = exported.getOrDefault(selector.group(1), Set.of());
                Matcher label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)")
                        .matcher(selector.group(2));
                while (label.find()) {
                    if (!TARGET_LABELS.contains(label.group(1))
                            && !labels.contains(label.group(1))
                            && !MonitoringQueries.PROMETHEUS_OWN_SERIES.contains(selector.group(1))) {
                        missing.add(selector.group(1) + " has no label " + label.group(1) + " (" + where + ")");
                    }
                }
            }
        });
        assertThat(missing).as("used by ops/ but not exported by the service").isEmpty();
        // and the service's own meters are all there from start-up, with their tags
        assertThat(exported.get("mambarec_recommend_seconds_bucket")).contains("strategy", "le");
        assertThat(exported.get("mambarec_jobs_finished_total")).contains("status");
        assertThat(exported.get("http_server_requests_seconds_count")).contains("uri", "status", "outcome", "method");
    }

    /**
     * Every {@code mambarec_*} series the service exports is a meter of {@link MetricNames} (its name
     * plus the unit and suffix Micrometer adds), so that {@link MonitoringQueriesTest} holds it to the
     * dashboard: a meter registered under a name of its own would be on neither.
     */
    @Test
    void everyOwnSeriesOfTheServiceIsAMeterOfMetricNames() {
        List<String> meters = MonitoringQueriesTest.serviceMeters().stream()
                .map(m -> m.replace('.', '_'))
                .toList();
        List<String> unnamed = exportedSeries().keySet().stream()
                .filter(series -> series.startsWith("mambarec_"))
                .filter(series -> meters.stream()
                        .noneMatch(meter -> series.startsWith(meter)
                                && MICROMETER_SUFFIX
                                        .matcher(series.substring(meter.length()))
                                        .matches()))
                .toList();
        assertThat(unnamed)
                .as("exported by the service but not in MetricNames (nor, so, checked against the dashboard)")
                .isEmpty();
        assertThat(exportedSeries())
                .containsKeys(
                        "mambarec_recommend_candidates_total",
                        "mambarec_serving_candidate_lists_bytes",
                        "mambarec_serving_candidate_lists_ready");
    }

    @Test
    void prometheusScrapesTheServiceWithTheProjectsConfigAndEvaluatesEveryQuery(@TempDir Path dir) throws Exception {
        Path binary = ExternalTool.PROMETHEUS.require();
        new TestHttp(port).get("/actuator/health/liveness");
        int prometheusPort = freeLoopbackPort();
        Path config = scrapeConfigFor(dir, "127.0.0.1:" + port);
        Path log = dir.resolve("prometheus.log");
        Process prometheus = new ProcessBuilder(
                        binary.toString(),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            PrometheusApi api = new PrometheusApi(prometheusPort);
            String target = "{job=\"mambarec\",instance=\"127.0.0.1:" + port + "\"}";

            JsonNode up = api.awaitResult(
                    "up" + target,
                    result -> result.size() == 1
                            && "1".equals(result.get(0).path("value").get(1).asString()),
                    log);
            assertThat(up.get(0).path("metric").path("job").asString()).isEqualTo("mambarec");

            // the service's own metrics arrive through the project's scrape config
            JsonNode version =
                    api.awaitResult("mambarec_model_active_version" + target, result -> result.size() == 1, log);
            assertThat(version.get(0).path("value").get(1).asString()).matches("\\d+");
            JsonNode buckets = api.awaitResult(
                    "count(mambarec_recommend_seconds_bucket" + target + ") by (strategy)",
                    result -> result.size() == ServiceMetrics.STRATEGIES.size(),
                    log);
            assertThat(buckets).hasSize(ServiceMetrics.STRATEGIES.size());

            // every dashboard query and alert expression is valid PromQL that Prometheus evaluates
            MonitoringQueries.withGrafanaVariablesResolved(MonitoringQueries.allQueries())
                    .forEach((where, query) -> {
                        JsonNode answer = api.query(query);
                        assertThat(answer.path("status").asString())
                                .as("%s: %s -> %s", where, query, answer)
                                .isEqualTo("success");
                    });

            // the alert rules file of the config is loaded and every rule evaluates without error
            JsonNode rules = api.awaitRules(log);
            List<String> ruleHealth = new ArrayList<>();
            rules.forEach(group -> group.path("rules")
                    .forEach(rule -> ruleHealth.add(rule.path("name").asString() + "="
                            + rule.path("health").asString()
                            + rule.path("lastError").asString(""))));
            assertThat(ruleHealth)
                    .hasSize(MonitoringQueries.alertQueries().size())
                    .allMatch(h -> h.endsWith("=ok"));
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Series names of /actuator/prometheus with the label names they carry. */
    private Map<String, Set<String>> exportedSeries() {
        TestHttp http = new TestHttp(port);
        assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200); // so http_server_requests_* exists
        TestHttp.Response scrape = http.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        Map<String, Set<String>> series = new TreeMap<>();
        scrape.body().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(line -> {
            Matcher m = SERIES.matcher(line);
            assertThat(m.find()).as("exposition line %s", line).isTrue();
            Set<String> labels = series.computeIfAbsent(m.group(1), k -> new HashSet<>());
            if (m.group(3) != null) {
                Matcher label = LABEL.matcher(m.group(3));
                while (label.find()) {
                    labels.add(label.group(1));
                }
            }
        });
        return series;
    }

    /**
     * ops/prometheus/prometheus.yml with the mambarec job pointed at {@code target}, scraped every 2 s
     * with a 2 s timeout: on a shared build machine under heavy load a scrape may take over a second.
     */
    @SuppressWarnings("unchecked")
    private static Path scrapeConfigFor(Path dir, String target) throws IOException {
        Map<String, Object> config = ProjectFiles.yaml(ProjectFiles.PROMETHEUS_CONFIG);
        Map<String, Object> global = (Map<String, Object>) config.get("global");
        global.put("scrape_interval", "2s");
        global.put("evaluation_interval", "1s");
        List<Object> ruleFiles = new ArrayList<>();
        for (Object file : (List<Object>) config.get("rule_files")) {
            ruleFiles.add(ProjectFiles.PROMETHEUS_CONFIG
                    .resolveSibling(file.toString())
                    .toString());
        }
        config.put("rule_files", ruleFiles);
        // no Alertmanager here: the rules are evaluated, nothing is sent
        config.remove("alerting");
        List<Map<String, Object>> jobs = (List<Map<String, Object>>) config.get("scrape_configs");
        Map<String, Object> job = jobs.stream()
                .filter(j -> "mambarec".equals(j.get("job_name")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no scrape job 'mambarec' in " + ProjectFiles.PROMETHEUS_CONFIG));
        assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
        job.put("scrape_timeout", "2s");
        job.put("static_configs", List.of(Map.of("targets", List.of(target))));
        return Files.writeString(dir.resolve("prometheus.yml"), new Yaml().dump(config));
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Prometheus' HTTP API on the loopback address. */
    private record PrometheusApi(int port, HttpClient client) {

        PrometheusApi(int port) {
            this(
                    port,
                    HttpClient.newBuilder()
                            .connectTimeout(Duration.ofSeconds(2))
                            .build());
        }

        JsonNode query(String promql) {
            return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        }

        /** Polls an instant query until its result vector satisfies {@code done}; fails after the deadline. */
        JsonNode awaitResult(String promql, Predicate<JsonNode> done, Path log) {
            AtomicReference<JsonNode> last = new AtomicReference<>();
            try {
                return poll().until(
                                () -> {
                                    last.set(query(promql));
                                    return last.get();
                                },
                                answer -> answer != null
                                        && "success"
                                                .equals(answer.path("status").asString())
                                        && done.test(answer.path("data").path("result")))
                        .path("data")
                        .path("result");
            } catch (ConditionTimeoutException e) {
                return fail("Prometheus never answered " + promql + " as expected; last: " + last.get() + "\ntargets: "
                        + get("/api/v1/targets") + "\n" + tail(log));
            }
        }

        /** Polls /api/v1/rules until every rule has been evaluated once. */
        JsonNode awaitRules(Path log) {
            AtomicReference<JsonNode> groups = new AtomicReference<>();
            try {
                return poll().until(
                                () -> {
                                    JsonNode answer = get("/api/v1/rules?type=alert");
                                    groups.set(
                                            answer == null
                                                    ? null
                                                    : answer.path("data").path("groups"));
                                    return groups.get();
                                },
                                g -> g != null && g.size() > 0 && allEvaluated(g));
            } catch (ConditionTimeoutException e) {
                return fail("Prometheus did not evaluate the alert rules: " + groups.get() + "\n" + tail(log));
            }
        }

        private static ConditionFactory poll() {
            return await().atMost(PROMETHEUS_DEADLINE).pollInterval(Duration.ofMillis(500));
        }

        private static boolean allEvaluated(JsonNode groups) {
            Map<String, Boolean> evaluated = new HashMap<>();
            groups.forEach(g -> g.path("rules")
                    .forEach(r -> evaluated.put(
                            r.path("name").asString(),
                            !"unknown".equals(r.path("health").asString()))));
            return !evaluated.isEmpty() && !evaluated.containsValue(false);
        }

        /** The JSON answer, or null while Prometheus does not listen yet. */
        private JsonNode get(String pathAndQuery) {
            try {
                HttpResponse<String> response = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                return ProjectFiles.json(response.body());
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static String tail(Path log) {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
            } catch (IOException e) {
                return "(no Prometheus log: " + e.getMessage() + ")";
            }
        }
    }
}
