package io.mambarec.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker-compose (Debian package) parses and resolves the compose file; no engine is needed for that. */
class DockerComposeTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> SECRETS =
            List.of("POSTGRES_PASSWORD", "MAMBAREC_ADMIN_API_KEY", "GRAFANA_ADMIN_PASSWORD");

    private static Map<String, Object> resolved;

    /** {@code docker-compose --env-file .env.example config}, run once for the class. */
    @BeforeAll
    static void resolveWithExampleEnv() {
        ExternalTool.Result config = compose(ProjectFiles.ENV_EXAMPLE, "config");
        assertThat(config.exitCode()).as(config.output()).isZero();
        resolved = ProjectFiles.yamlDocuments(config.output()).get(0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeFileResolvesWithTheExampleEnvFile() throws IOException {
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) resolved.get("services");
        assertThat(services)
                .containsOnlyKeys("mambarec", "mambarec-trainer", "postgres", "prometheus", "alertmanager", "grafana");

        Properties env = new Properties();
        try (var in = Files.newBufferedReader(ProjectFiles.ENV_EXAMPLE)) {
            env.load(in);
        }
        Map<String, Object> app = services.get("mambarec");
        Map<String, Object> appEnv = (Map<String, Object>) app.get("environment");
        assertThat(appEnv)
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/mambarec")
                .containsEntry("SPRING_DATASOURCE_PASSWORD", env.getProperty("POSTGRES_PASSWORD"))
                .containsEntry("MAMBAREC_ADMIN_API_KEY", env.getProperty("MAMBAREC_ADMIN_API_KEY"));
        assertThat(app).containsEntry("read_only", true);
        assertThat((Map<String, Object>) app.get("depends_on")).containsKey("postgres");
        assertThat(appEnv)
                .containsEntry("MAMBAREC_ROLE", "server")
                .containsEntry("MANAGEMENT_SERVER_PORT", "8081")
                .containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs");

        // the trainer: same image and settings, its own role, no published port, time to stop at a batch
        Map<String, Object> trainer = services.get("mambarec-trainer");
        assertThat(trainer.get("image")).isEqualTo(app.get("image"));
        Map<String, Object> trainerEnv = (Map<String, Object>) trainer.get("environment");
        assertThat(trainerEnv)
                .containsEntry("MAMBAREC_ROLE", "trainer")
                .containsEntry("SPRING_DATASOURCE_URL", appEnv.get("SPRING_DATASOURCE_URL"));
        assertThat(trainer).doesNotContainKey("ports").containsEntry("read_only", true);
        assertThat(trainer.get("stop_grace_period")).asString().isIn("1m30s", "90s");

        // every third-party image is fully qualified with an exact version
        for (String service : List.of("postgres", "prometheus", "alertmanager", "grafana")) {
            assertThat((String) services.get(service).get("image"))
                    .as(service)
                    .matches("docker\\.io/[a-z0-9-]+/[a-z0-9-]+:v?[0-9]+\\.[0-9]+(\\.[0-9]+)?");
        }

        // PostgreSQL keeps its data in a named volume
        assertThat((List<String>) services.get("postgres").get("volumes"))
                .anyMatch(v -> v.startsWith("pgdata:/var/lib/postgresql/data"));
        assertThat((Map<String, Object>) resolved.get("volumes")).containsKey("pgdata");

        // Prometheus and Grafana mount the project's own configuration: those files exist
        for (String service : List.of("prometheus", "grafana")) {
            for (String volume : (List<String>) services.get(service).get("volumes")) {
                String source = volume.split(":")[0];
                if (source.startsWith("/")) {
                    assertThat(Path.of(source))
                            .as("%s mounts %s", service, source)
                            .exists();
                }
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusAndGrafanaFindTheirFilesAndEachOther() {
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) resolved.get("services");
        Map<String, String> prometheusMounts = bindMounts(services.get("prometheus"));
        Map<String, String> grafanaMounts = bindMounts(services.get("grafana"));

        // Prometheus: its config and every rule file it names, side by side in the container
        Map<String, Object> prometheus = ProjectFiles.yaml(ProjectFiles.PROMETHEUS_CONFIG);
        assertThat(prometheusMounts)
                .containsEntry("/etc/prometheus/prometheus.yml", ProjectFiles.PROMETHEUS_CONFIG.toString());
        for (Object ruleFile : (List<Object>) prometheus.get("rule_files")) {
            assertThat(prometheusMounts)
                    .containsEntry(
                            "/etc/prometheus/" + ruleFile,
                            ProjectFiles.PROMETHEUS_CONFIG
                                    .resolveSibling(ruleFile.toString())
                                    .toString());
        }
        // it scrapes server and trainer on the management port, which is not published
        assertThat(ProjectFiles.read(ProjectFiles.PROMETHEUS_CONFIG))
                .contains("[\"mambarec:8081\", \"mambarec-trainer:8081\"]")
                .contains("alertmanager:9093");
        assertThat((List<Object>) services.get("mambarec").get("ports"))
                .singleElement()
                .satisfies(port -> assertThat((Map<String, Object>) port).containsEntry("target", 8080));

        // Alertmanager reads the project's configuration, which amtool accepts
        Map<String, String> alertmanagerMounts = bindMounts(services.get("alertmanager"));
        Path alertmanagerConfig = ProjectFiles.ROOT.resolve("ops/alertmanager/alertmanager.yml");
        assertThat(alertmanagerMounts)
                .containsEntry("/etc/alertmanager/alertmanager.yml", alertmanagerConfig.toString());
        ExternalTool.Result check =
                ExternalTool.AMTOOL.run(TIMEOUT, ProjectFiles.ROOT, "check-config", alertmanagerConfig.toString());
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS").contains("1 receivers");

        // Grafana: provisioning folder, the dashboards folder the provider reads, the datasource URL
        Path provisioning = ProjectFiles.ROOT.resolve("ops/grafana/provisioning");
        assertThat(grafanaMounts).containsEntry("/etc/grafana/provisioning", provisioning.toString());
        Map<String, Object> provider = ((List<Map<String, Object>>)
                        ProjectFiles.yaml(provisioning.resolve("dashboards/mambarec.yml"))
                                .get("providers"))
                .get(0);
        String dashboardsInContainer = (String) ((Map<String, Object>) provider.get("options")).get("path");
        assertThat(grafanaMounts)
                .containsEntry(
                        dashboardsInContainer,
                        ProjectFiles.DASHBOARD.getParent().toString());
        String home = (String) ((Map<String, Object>) services.get("grafana").get("environment"))
                .get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(home).isEqualTo(dashboardsInContainer + "/" + ProjectFiles.DASHBOARD.getFileName());
        Map<String, Object> datasource = ((List<Map<String, Object>>)
                        ProjectFiles.yaml(provisioning.resolve("datasources/prometheus.yml"))
                                .get("datasources"))
                .get(0);
        assertThat(datasource).containsEntry("type", "prometheus").containsEntry("url", "http://prometheus:9090");
        assertThat((List<Object>) services.get("prometheus").get("ports"))
                .singleElement()
                .satisfies(port -> assertThat((Map<String, Object>) port).containsEntry("target", 9090));
    }

    /** Container path -> host path of a service's bind mounts ("host:container[:mode]" after config). */
    @SuppressWarnings("unchecked")
    private static Map<String, String> bindMounts(Map<String, Object> service) {
        Map<String, String> mounts = new java.util.HashMap<>();
        for (String volume : (List<String>) service.get("volumes")) {
            String[] parts = volume.split(":");
            if (parts[0].startsWith("/")) {
                mounts.put(parts[1], parts[0]);
            }
        }
        return mounts;
    }

    @Test
    void secretsComeFromTheEnvFileAndAreNeverHardCoded(@TempDir Path dir) throws IOException {
        String compose = ProjectFiles.read(ProjectFiles.COMPOSE);
        Properties env = new Properties();
        try (var in = Files.newBufferedReader(ProjectFiles.ENV_EXAMPLE)) {
            env.load(in);
        }
        for (String secret : SECRETS) {
            assertThat(env.getProperty(secret))
                    .as(".env.example names %s", secret)
                    .isNotBlank();
            assertThat(compose)
                    .as("compose file must not hold the value of %s", secret)
                    .doesNotContain(env.getProperty(secret));
        }
        // without an env file the stack refuses to start instead of using a default secret
        ExternalTool.Result config = compose(Files.writeString(dir.resolve("empty.env"), ""), "config");
        assertThat(config.exitCode()).isNotZero();
        assertThat(config.output())
                .containsAnyOf(SECRETS.stream().map(s -> "set " + s).toArray(String[]::new));
    }

    private static ExternalTool.Result compose(Path envFile, String... args) {
        String[] command = new String[args.length + 4];
        command[0] = "--env-file";
        command[1] = envFile.toString();
        command[2] = "-f";
        command[3] = ProjectFiles.COMPOSE.toString();
        System.arraycopy(args, 0, command, 4, args.length);
        // only the env file may supply the variables: none from the environment the build runs in
        return ExternalTool.DOCKER_COMPOSE.run(
                TIMEOUT,
                ProjectFiles.ROOT,
                env -> {
                    SECRETS.forEach(env::remove);
                    env.remove("MAMBAREC_CLIENT_API_KEYS");
                },
                command);
    }
}
