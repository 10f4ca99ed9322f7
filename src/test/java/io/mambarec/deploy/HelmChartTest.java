package io.mambarec.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * helm lint and helm template (in-process), the rendered objects parsed strictly as typed Kubernetes
 * objects, with the default values and with every switch (ingress, network policy, pod monitor,
 * alert rules, migration job on/off, digest-pinned image, GPU trainer, tracing, no trainer).
 */
class HelmChartTest {

    static final String DIGEST = "sha256:" + "ab".repeat(32);
    private static KubernetesObjects defaults;

    @BeforeAll
    static void renderDefaults() {
        defaults = Chart.render(Map.of("migration.hook", false));
    }

    static Map<String, Object> everySwitch() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("migration.hook", false);
        values.put("ingress.enabled", true);
        values.put("ingress.className", "nginx");
        values.put("networkPolicy.enabled", true);
        values.put("metrics.podMonitor.enabled", true);
        values.put("metrics.prometheusRule.enabled", true);
        values.put("image.digest", DIGEST);
        values.put("trainer.gpu", 1);
        values.put("trainer.trainingThreads", "6");
        values.put("trainer.nodeSelector.accelerator", "nvidia");
        values.put("tracing.enabled", true);
        values.put("tracing.otlpEndpoint", "http://otel:4318/v1/traces");
        return values;
    }

    @Test
    void lintsCleanInStrictMode() {
        LintResult lint = new Helm(ProjectFiles.CHART).lint().strict().call();
        assertThat(lint.isFailed())
                .as("helm lint --strict: %s", lint.getMessages())
                .isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void defaultsRenderServersTrainerAndMigration() {
        assertThat(defaults.all())
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "ServiceAccount/mambarec",
                        "ConfigMap/mambarec",
                        "ConfigMap/mambarec-dashboard",
                        "Service/mambarec",
                        "Deployment/mambarec-server",
                        "Deployment/mambarec-trainer",
                        "HorizontalPodAutoscaler/mambarec-server",
                        "PodDisruptionBudget/mambarec-server",
                        "Job/mambarec-migrate");
        defaults.all()
                .forEach(o -> assertThat(o.getMetadata().getLabels())
                        .containsEntry("app.kubernetes.io/name", "mambarec")
                        .containsEntry("app.kubernetes.io/instance", Chart.RELEASE)
                        .containsEntry("app.kubernetes.io/version", "0.1.0"));
    }

    @Test
    void everySwitchRendersStrictlyTypedObjects() {
        KubernetesObjects all = Chart.render(everySwitch());
        assertThat(all.all())
                .extracting(o -> o.getKind())
                .contains("Ingress", "NetworkPolicy", "PodMonitor", "PrometheusRule", "Job", "Deployment", "Service");
    }

    @Test
    void serversAnswerOnHttpAndProbesUseTheManagementPort() {
        Container server = container(server(defaults));
        assertThat(server.getPorts())
                .extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("http:8080", "management:8081");
        assertHttpProbe(server.getLivenessProbe(), "/actuator/health/liveness");
        assertHttpProbe(server.getReadinessProbe(), "/actuator/health/readiness");
        assertHttpProbe(server.getStartupProbe(), "/actuator/health/liveness");
        assertThat(server.getStartupProbe().getPeriodSeconds()
                        * server.getStartupProbe().getFailureThreshold())
                .isGreaterThanOrEqualTo(300);
        assertThat(configMap("mambarec").getData()).containsEntry("MANAGEMENT_SERVER_PORT", "8081");

        Container trainer = container(trainer(defaults));
        assertThat(trainer.getPorts()).extracting(p -> p.getName()).containsExactly("management");
        assertHttpProbe(trainer.getReadinessProbe(), "/actuator/health/readiness");
    }

    @Test
    void rolesReplicaIdsAndSecretsByReference() {
        assertThat(env(container(server(defaults)), "MAMBAREC_ROLE").getValue()).isEqualTo("server");
        assertThat(env(container(trainer(defaults)), "MAMBAREC_ROLE").getValue())
                .isEqualTo("trainer");
        for (Deployment deployment : List.of(server(defaults), trainer(defaults))) {
            Container app = container(deployment);
            assertThat(env(app, "MAMBAREC_REPLICA_ID")
                            .getValueFrom()
                            .getFieldRef()
                            .getFieldPath())
                    .isEqualTo("metadata.name");
            assertThat(app.getEnvFrom())
                    .singleElement()
                    .satisfies(
                            from -> assertThat(from.getConfigMapRef().getName()).isEqualTo("mambarec"));
            for (String secret :
                    List.of("SPRING_DATASOURCE_PASSWORD", "MAMBAREC_ADMIN_API_KEY", "MAMBAREC_CLIENT_API_KEYS")) {
                EnvVar env = env(app, secret);
                assertThat(env.getValue()).as("%s is never a literal", secret).isNull();
                assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("mambarec");
            }
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsKey("checksum/config")
                    .containsEntry("prometheus.io/port", "8081")
                    .containsEntry("prometheus.io/path", "/actuator/prometheus");
        }
        Map<String, String> config = configMap("mambarec").getData();
        assertThat(config.get("SPRING_DATASOURCE_URL")).isEqualTo("jdbc:postgresql://postgresql:5432/mambarec");
        assertThat(config.keySet()).noneMatch(k -> k.contains("PASSWORD") || k.contains("API_KEY"));

        KubernetesObjects alone = Chart.render(Map.of("trainer.enabled", false));
        assertThat(alone.ofType(Deployment.class)).hasSize(1);
        assertThat(env(container(server(alone)), "MAMBAREC_ROLE").getValue()).isEqualTo("standalone");
    }

    @Test
    void podsRunNonRootOnAReadOnlyRootWithWritableTmpAndDjlCache() {
        for (Deployment deployment : List.of(server(defaults), trainer(defaults))) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            Container app = container(deployment);
            assertThat(app.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(app.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(app.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
            for (String writable :
                    List.of("/tmp", configMap("mambarec").getData().get("DJL_CACHE_DIR"))) {
                VolumeMount mount = app.getVolumeMounts().stream()
                        .filter(m -> m.getMountPath().equals(writable))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no writable volume at " + writable));
                Volume volume = pod.getVolumes().stream()
                        .filter(v -> v.getName().equals(mount.getName()))
                        .findFirst()
                        .orElseThrow();
                assertThat(volume.getEmptyDir().getSizeLimit())
                        .as("volume %s", volume.getName())
                        .isNotNull();
            }
        }
    }

    @Test
    void resourcesIncludeEphemeralStorageAndKeepTheHeapModerate() {
        for (Deployment deployment : List.of(server(defaults), trainer(defaults))) {
            Map<String, Quantity> requests =
                    container(deployment).getResources().getRequests();
            Map<String, Quantity> limits = container(deployment).getResources().getLimits();
            assertThat(requests).containsKeys("cpu", "memory", "ephemeral-storage");
            assertThat(limits).containsKeys("cpu", "memory", "ephemeral-storage");
            assertThat(bytes(requests.get("memory")))
                    .as("no eviction under node pressure")
                    .isEqualTo(bytes(limits.get("memory")));
        }
        Map<String, Quantity> trainerLimits =
                container(trainer(defaults)).getResources().getLimits();
        Map<String, Quantity> serverLimits =
                container(server(defaults)).getResources().getLimits();
        assertThat(bytes(trainerLimits.get("memory"))).isBetween(bytes("4Gi"), bytes("8Gi"));
        assertThat(bytes(serverLimits.get("memory"))).isLessThan(bytes(trainerLimits.get("memory")));
        assertThat(Quantity.getAmountInBytes(
                        container(server(defaults)).getResources().getRequests().get("cpu")))
                .isLessThan(Quantity.getAmountInBytes(container(trainer(defaults))
                        .getResources()
                        .getRequests()
                        .get("cpu")));
        assertThat(container(job(defaults)).getResources().getRequests()).containsKey("ephemeral-storage");

        Matcher percent = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)")
                .matcher(configMap("mambarec").getData().get("JAVA_TOOL_OPTIONS"));
        assertThat(percent.find()).isTrue();
        assertThat(Integer.parseInt(percent.group(1)))
                .as("heap share: native PyTorch memory needs the rest")
                .isBetween(30, 60);
    }

    @Test
    void theServiceAndTheIngressExposeTheApiOnlyOfTheServers() {
        Map<String, String> serverSelector =
                server(defaults).getSpec().getSelector().getMatchLabels();
        assertThat(serverSelector).containsEntry("app.kubernetes.io/component", "server");
        assertThat(server(defaults).getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(serverSelector);
        assertThat(trainer(defaults).getSpec().getSelector().getMatchLabels())
                .containsEntry("app.kubernetes.io/component", "trainer");

        Service service = defaults.single(Service.class);
        assertThat(service.getSpec().getSelector()).isEqualTo(serverSelector);
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(8080);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
        });
        assertThat(defaults.ofType(Ingress.class)).isEmpty();
        Ingress ingress = Chart.render(everySwitch()).single(Ingress.class);
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ingress.getSpec().getRules())
                .flatExtracting(r -> r.getHttp().getPaths())
                .allSatisfy(path -> {
                    assertThat(path.getBackend().getService().getName()).isEqualTo("mambarec");
                    assertThat(path.getBackend().getService().getPort().getName())
                            .isEqualTo("http");
                });
    }

    @Test
    void hpaAndPdbTargetTheServers() {
        Deployment server = server(defaults);
        HorizontalPodAutoscaler hpa = defaults.single(HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getName())
                .isEqualTo(server.getMetadata().getName());
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
        assertThat(server.getSpec().getReplicas()).isNull();
        assertThat(server.getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxUnavailable()
                        .getIntVal())
                .isZero();
        assertThat(defaults.single(PodDisruptionBudget.class)
                        .getSpec()
                        .getSelector()
                        .getMatchLabels())
                .isEqualTo(server.getSpec().getSelector().getMatchLabels());
        assertThat(defaults.single(ServiceAccount.class).getMetadata().getName())
                .isEqualTo(server.getSpec().getTemplate().getSpec().getServiceAccountName());

        KubernetesObjects fixed = Chart.render(Map.of("server.autoscaling.enabled", false, "server.replicaCount", 3));
        assertThat(fixed.ofType(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(server(fixed).getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void aChangeToTheServersNeverTouchesTheTrainer() {
        KubernetesObjects changed = Chart.render(Map.of(
                "migration.hook",
                false,
                "server.resources.limits.cpu",
                "3",
                "server.dbPoolSize",
                8,
                "server.autoscaling.maxReplicas",
                5,
                "server.terminationGracePeriodSeconds",
                45));
        assertThat(server(changed)).isNotEqualTo(server(defaults));
        assertThat(trainer(changed)).isEqualTo(trainer(defaults));
    }

    @Test
    void theTrainerStopsAtItsNextBatchAndCanHaveAGpu() {
        Deployment trainer = trainer(defaults);
        assertThat(trainer.getSpec().getReplicas()).isEqualTo(1);
        assertThat(trainer.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(trainer.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .isGreaterThanOrEqualTo(60);
        assertThat(container(trainer).getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");

        Deployment gpu = trainer(Chart.render(everySwitch()));
        assertThat(container(gpu).getResources().getLimits().get("nvidia.com/gpu"))
                .isEqualTo(new Quantity("1"));
        assertThat(gpu.getSpec().getTemplate().getSpec().getNodeSelector()).containsEntry("accelerator", "nvidia");
        assertThat(env(container(gpu), "MAMBAREC_TRAINING_THREADS").getValue()).isEqualTo("6");
    }

    @Test
    void migrationsRunInAHookJobWithTheDdlUserAndThePodsDoNotMigrate() {
        // as a hook the Job is not part of the rendered manifest (helm runs it before the others)
        assertThat(Chart.render(Map.of()).ofType(Job.class)).isEmpty();
        assertThat(ProjectFiles.read(ProjectFiles.CHART.resolve("templates/migration-job.yaml")))
                .contains("helm.sh/hook: pre-install,pre-upgrade");
        Job job = job(defaults);
        assertThat(job.getMetadata().getAnnotations()).doesNotContainKey("helm.sh/hook");
        Container migrate = container(job);
        assertThat(migrate.getArgs()).containsExactly("migrate", "--grant-to=mambarec");
        assertThat(env(migrate, "SPRING_DATASOURCE_USERNAME").getValue()).isEqualTo("mambarec_owner");
        assertThat(env(migrate, "SPRING_DATASOURCE_PASSWORD")
                        .getValueFrom()
                        .getSecretKeyRef()
                        .getKey())
                .isEqualTo("migration-database-password");
        assertThat(migrate.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(configMap("mambarec").getData())
                .containsEntry("SPRING_FLYWAY_ENABLED", "false")
                .containsEntry("SPRING_DATASOURCE_USERNAME", "mambarec");

        KubernetesObjects selfMigrating = Chart.render(Map.of("migration.enabled", false));
        assertThat(selfMigrating.ofType(Job.class)).isEmpty();
        assertThat(selfMigrating.named(ConfigMap.class, "mambarec").getData())
                .containsEntry("SPRING_FLYWAY_ENABLED", "true");
    }

    @Test
    void theDemoCatalogueIsOffByDefault() {
        assertThat(configMap("mambarec").getData())
                .containsEntry("MAMBAREC_BOOTSTRAP_DEMO", "false")
                .doesNotContainKeys("MAMBAREC_BOOTSTRAP_DATASET", "MAMBAREC_BOOTSTRAP_MODEL");
        Map<String, String> custom = Chart.render(Map.of(
                        "postgresql.host",
                        "db.example.internal",
                        "postgresql.database",
                        "recs",
                        "postgresql.parameters",
                        "sslmode=require",
                        "bootstrap.dataset",
                        "/data/tiktok",
                        "bootstrap.model",
                        "/data/model"))
                .named(ConfigMap.class, "mambarec")
                .getData();
        assertThat(custom)
                .containsEntry(
                        "SPRING_DATASOURCE_URL", "jdbc:postgresql://db.example.internal:5432/recs?sslmode=require")
                .containsEntry("MAMBAREC_BOOTSTRAP_DATASET", "/data/tiktok")
                .containsEntry("MAMBAREC_BOOTSTRAP_MODEL", "/data/model");
    }

    @Test
    void poolSizesFitPostgresqlsHundredConnectionsAtTheHpaMaximum() {
        int budget = Integer.parseInt(
                server(defaults).getMetadata().getAnnotations().get("mambarec.io/max-database-connections"));
        // (6 servers + 1 surge) x (10 + 1) + 1 trainer x (4 + 1) + 1 migration
        assertThat(budget).isEqualTo(7 * 11 + 5 + 1).isLessThanOrEqualTo(100 - 3);
        assertThat(env(container(server(defaults)), "SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE")
                        .getValue())
                .isEqualTo("10");
        assertThat(env(container(trainer(defaults)), "SPRING_DATASOURCE_HIKARI_MAXIMUM_POOL_SIZE")
                        .getValue())
                .isEqualTo("4");
        assertThatThrownBy(() -> Chart.template(Map.of("server.autoscaling.maxReplicas", 12)))
                .hasMessageContaining("exceeds postgresql.maxConnections");
        assertThat(Chart.render(Map.of("server.autoscaling.maxReplicas", 12, "postgresql.maxConnections", 200))
                        .all())
                .isNotEmpty();
    }

    @Test
    void aDigestPinsTheImageAndKeepsTheVersionLabel() {
        KubernetesObjects pinned = Chart.render(Map.of(
                "image.digest", DIGEST, "image.repository", "registry.example.com/mambarec", "migration.hook", false));
        for (Deployment deployment : pinned.ofType(Deployment.class)) {
            assertThat(container(deployment).getImage()).isEqualTo("registry.example.com/mambarec@" + DIGEST);
        }
        assertThat(container(job(pinned)).getImage()).isEqualTo("registry.example.com/mambarec@" + DIGEST);
        pinned.all()
                .forEach(o ->
                        assertThat(o.getMetadata().getLabels()).containsEntry("app.kubernetes.io/version", "0.1.0"));
        assertThat(container(server(defaults)).getImage()).isEqualTo("mambarec:0.1.0");
        assertThatThrownBy(() -> Chart.template(Map.of("image.digest", "latest")))
                .hasMessageContaining("digest");
    }

    @Test
    void theNetworkPolicyOpensTheApiAndKeepsManagementForScrapers() {
        assertThat(defaults.ofType(NetworkPolicy.class)).isEmpty();
        NetworkPolicy policy = Chart.render(everySwitch()).single(NetworkPolicy.class);
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).doesNotContainKey("app.kubernetes.io/component");
        assertThat(policy.getSpec().getIngress()).hasSize(2);
        var api = policy.getSpec().getIngress().get(0);
        assertThat(api.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("http"));
        assertThat(api.getFrom()).isEmpty();
        var management = policy.getSpec().getIngress().get(1);
        assertThat(management.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("management"));
        assertThat(management.getFrom())
                .singleElement()
                .satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
                        .containsEntry("kubernetes.io/metadata.name", "monitoring"));
        assertThat(policy.getSpec().getEgress())
                .flatExtracting(e -> e.getPorts())
                .extracting(p -> p.getPort().getIntVal())
                .contains(53, 5432);
    }

    @Test
    void podMonitorScrapesTheManagementPortAndThePrometheusRuleHoldsTheAlerts() {
        assertThat(defaults.custom("PodMonitor")).isEmpty();
        assertThat(defaults.custom("PrometheusRule")).isEmpty();
        KubernetesObjects monitored = Chart.render(everySwitch());
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) monitored
                .custom("PodMonitor")
                .orElseThrow()
                .getAdditionalProperties()
                .get("spec");
        assertThat((List<?>) spec.get("podMetricsEndpoints"))
                .singleElement()
                .isEqualTo(Map.of(
                        "port",
                        "management",
                        "path",
                        "/actuator/prometheus",
                        "interval",
                        "15s",
                        "scrapeTimeout",
                        "10s"));
        // the rules of ops/prometheus/alerts.yml with the PodMonitor's job in up{job=...}
        Map<String, Object> rule =
                monitored.custom("PrometheusRule").orElseThrow().getAdditionalProperties();
        String alerts = ProjectFiles.read(ProjectFiles.ALERT_RULES);
        assertThat(alerts).contains("up{job=\"mambarec\"}");
        assertThat(rule.get("spec"))
                .isEqualTo(ProjectFiles.yamlDocuments(alerts.replace("job=\"mambarec\"", "job=\"default/mambarec\""))
                        .get(0));
    }

    @Test
    void logsAreStructuredAndTracingIsOffUnlessConfigured() {
        Map<String, String> config = configMap("mambarec").getData();
        assertThat(config)
                .containsEntry("LOGGING_STRUCTURED_FORMAT_CONSOLE", "ecs")
                .containsEntry("MANAGEMENT_TRACING_EXPORT_ENABLED", "false");
        Map<String, String> traced =
                Chart.render(everySwitch()).named(ConfigMap.class, "mambarec").getData();
        assertThat(traced)
                .containsEntry("MANAGEMENT_TRACING_EXPORT_ENABLED", "true")
                .containsEntry("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", "http://otel:4318/v1/traces");
        assertThatThrownBy(() -> Chart.template(Map.of("tracing.enabled", true)))
                .hasMessageContaining("otlpEndpoint");
    }

    @Test
    void dashboardConfigMapCarriesTheSidecarLabelAndTheOpsDashboard() {
        ConfigMap dashboard = configMap("mambarec-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(ProjectFiles.json(dashboard.getData().get("mambarec.json")))
                .isEqualTo(ProjectFiles.json(ProjectFiles.read(ProjectFiles.DASHBOARD)));
    }

    @Test
    void valuesSchemaRejectsMistypedValues() {
        assertThatThrownBy(() -> Chart.template(Map.of("postgres.host", "db"))).hasMessageContaining("postgres");
        assertThatThrownBy(() -> Chart.template(Map.of("server.autoscaling.minReplicas", "two")))
                .hasMessageContaining("minReplicas");
        assertThatThrownBy(() -> Chart.template(Map.of("managementPort", 8080))).hasMessageContaining("managementPort");
    }

    @Test
    void refusesToRenderWithoutAnExternalDatabase() {
        assertThatThrownBy(() -> Chart.template(Map.of("postgresql.host", "")))
                .hasMessageContaining("postgresql.host is required");
    }

    static Deployment server(KubernetesObjects objects) {
        return objects.named(Deployment.class, "mambarec-server");
    }

    static Deployment trainer(KubernetesObjects objects) {
        return objects.named(Deployment.class, "mambarec-trainer");
    }

    static Job job(KubernetesObjects objects) {
        return objects.single(Job.class);
    }

    private static ConfigMap configMap(String name) {
        return defaults.named(ConfigMap.class, name);
    }

    static Container container(Deployment deployment) {
        List<Container> containers =
                deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    static Container container(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static EnvVar env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name + " in " + container.getName()));
    }

    private static void assertHttpProbe(Probe probe, String path) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("management");
    }

    private static java.math.BigDecimal bytes(Object quantity) {
        return Quantity.getAmountInBytes(quantity instanceof Quantity q ? q : new Quantity((String) quantity));
    }
}
