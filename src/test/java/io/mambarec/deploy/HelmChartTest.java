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
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** helm lint and helm template (in-process), the rendered objects checked as typed Kubernetes objects. */
class HelmChartTest {

    private static KubernetesObjects defaults;

    @BeforeAll
    static void renderDefaults() {
        defaults = Chart.render(Map.of());
    }

    @Test
    void lintsCleanInStrictMode() {
        LintResult lint = new Helm(ProjectFiles.CHART).lint().strict().call();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void defaultsRenderTheServiceObjects() {
        assertThat(defaults.all()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactlyInAnyOrder("ServiceAccount/mambarec", "ConfigMap/mambarec", "ConfigMap/mambarec-dashboard",
                        "Service/mambarec", "Deployment/mambarec", "HorizontalPodAutoscaler/mambarec",
                        "PodDisruptionBudget/mambarec");
        // every object carries the chart's standard labels
        defaults.all().forEach(o -> assertThat(o.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/name", "mambarec")
                .containsEntry("app.kubernetes.io/instance", Chart.RELEASE)
                .containsKey("app.kubernetes.io/version"));
    }

    @Test
    void deploymentProbesTheActuatorGroupsOnTheHttpPort() {
        Container app = container(defaults.single(Deployment.class));
        assertThat(app.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getContainerPort()).isEqualTo(8080);
            assertThat(port.getProtocol()).isEqualTo("TCP");
        });
        assertHttpProbe(app.getLivenessProbe(), "/actuator/health/liveness");
        assertHttpProbe(app.getReadinessProbe(), "/actuator/health/readiness");
        assertHttpProbe(app.getStartupProbe(), "/actuator/health/liveness");
        // a slow start (native library extraction, loading the active model) gets 5 minutes
        assertThat(app.getStartupProbe().getPeriodSeconds() * app.getStartupProbe().getFailureThreshold()).isGreaterThanOrEqualTo(300);
    }

    @Test
    void deploymentRunsNonRootOnAReadOnlyRootWithWritableDjlCacheAndTmp() {
        Deployment deployment = defaults.single(Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        Container app = container(deployment);
        assertThat(app.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(app.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(app.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");

        String djlCacheDir = configMap("mambarec").getData().get("DJL_CACHE_DIR");
        assertThat(djlCacheDir).isNotBlank();
        for (String writable : List.of("/tmp", djlCacheDir)) {
            VolumeMount mount = app.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(writable)).findFirst()
                    .orElseThrow(() -> new AssertionError("no writable volume at " + writable));
            Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
            assertThat(volume.getEmptyDir()).as("volume %s", volume.getName()).isNotNull();
            assertThat(mount.getReadOnly()).isNotEqualTo(Boolean.TRUE);
        }
    }

    @Test
    void deploymentSizesResourcesForTrainingAndKeepsTheHeapModerate() {
        Container app = container(defaults.single(Deployment.class));
        Map<String, Quantity> requests = app.getResources().getRequests();
        Map<String, Quantity> limits = app.getResources().getLimits();
        assertThat(requests).containsKeys("cpu", "memory");
        assertThat(limits).containsKeys("cpu", "memory");
        assertThat(bytes(limits.get("memory"))).isBetween(bytes("4Gi"), bytes("8Gi"));
        assertThat(bytes(requests.get("memory"))).isEqualTo(bytes(limits.get("memory")));
        assertThat(Quantity.getAmountInBytes(limits.get("cpu"))).isGreaterThanOrEqualTo(Quantity.getAmountInBytes(requests.get("cpu")));

        Matcher percent = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(configMap("mambarec").getData().get("JAVA_TOOL_OPTIONS"));
        assertThat(percent.find()).as("JAVA_TOOL_OPTIONS sets -XX:MaxRAMPercentage").isTrue();
        assertThat(Integer.parseInt(percent.group(1))).as("heap share: native PyTorch memory needs the rest").isBetween(30, 60);
    }

    @Test
    void deploymentUsesTheExternalPostgresAndTakesSecretsFromASecret() {
        Deployment deployment = defaults.single(Deployment.class);
        Container app = container(deployment);
        assertThat(app.getEnvFrom()).singleElement().satisfies(from -> assertThat(from.getConfigMapRef().getName()).isEqualTo("mambarec"));
        Map<String, String> config = configMap("mambarec").getData();
        // with a datasource URL the service never starts its embedded PostgreSQL
        assertThat(config.get("SPRING_DATASOURCE_URL")).isEqualTo("jdbc:postgresql://postgresql:5432/mambarec");
        assertThat(config).containsEntry("SPRING_DATASOURCE_USERNAME", "mambarec");
        for (String secret : List.of("SPRING_DATASOURCE_PASSWORD", "MAMBAREC_ADMIN_API_KEY", "MAMBAREC_CLIENT_API_KEYS")) {
            EnvVar env = app.getEnv().stream().filter(e -> e.getName().equals(secret)).findFirst()
                    .orElseThrow(() -> new AssertionError("no env " + secret));
            assertThat(env.getValue()).as("%s is never a literal", secret).isNull();
            assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("mambarec");
        }
        assertThat(config.keySet()).noneMatch(k -> k.contains("PASSWORD") || k.contains("API_KEY"));
        // a configuration change rolls the pods
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("checksum/config");
    }

    @Test
    void serviceHpaAndPdbSelectTheDeploymentsPods() {
        Deployment deployment = defaults.single(Deployment.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, String> selector = deployment.getSpec().getSelector().getMatchLabels();
        assertThat(podLabels).containsAllEntriesOf(selector);
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();

        Service service = defaults.single(Service.class);
        assertThat(service.getSpec().getSelector()).isEqualTo(selector);
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(8080);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
        });

        HorizontalPodAutoscaler hpa = defaults.single(HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isGreaterThan(hpa.getSpec().getMinReplicas());
        assertThat(hpa.getSpec().getMetrics()).singleElement()
                .satisfies(m -> assertThat(m.getResource().getName()).isEqualTo("cpu"));
        // the HPA owns the replica count
        assertThat(deployment.getSpec().getReplicas()).isNull();

        assertThat(defaults.single(PodDisruptionBudget.class).getSpec().getSelector().getMatchLabels()).isEqualTo(selector);
        assertThat(defaults.single(ServiceAccount.class).getMetadata().getName())
                .isEqualTo(deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
    }

    @Test
    void podsAreAnnotatedForPrometheusScraping() {
        assertThat(defaults.single(Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "8080")
                .containsEntry("prometheus.io/path", "/actuator/prometheus");
    }

    @Test
    void dashboardConfigMapCarriesTheSidecarLabelAndTheOpsDashboard() {
        ConfigMap dashboard = configMap("mambarec-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(ProjectFiles.json(dashboard.getData().get("mambarec.json")))
                .isEqualTo(ProjectFiles.json(ProjectFiles.read(ProjectFiles.DASHBOARD)));
    }

    @Test
    void serviceMonitorAndPrometheusRuleAreSwitchedOnByValues() {
        assertThat(defaults.custom("ServiceMonitor")).isEmpty();
        assertThat(defaults.custom("PrometheusRule")).isEmpty();

        KubernetesObjects monitored = Chart.render(Map.of(
                "metrics.serviceMonitor.enabled", true, "metrics.prometheusRule.enabled", true));
        Map<String, Object> monitor = monitored.custom("ServiceMonitor").orElseThrow().getAdditionalProperties();
        assertThat(monitored.custom("ServiceMonitor").orElseThrow().getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) monitor.get("spec");
        assertThat(((Map<?, ?>) spec.get("selector")).get("matchLabels"))
                .isEqualTo(monitored.single(Service.class).getSpec().getSelector());
        assertThat((List<?>) spec.get("endpoints")).singleElement().isEqualTo(Map.of(
                "port", "http", "path", "/actuator/prometheus", "interval", "15s", "scrapeTimeout", "10s"));

        // the PrometheusRule holds exactly the rule groups of ops/prometheus/alerts.yml
        Map<String, Object> rule = monitored.custom("PrometheusRule").orElseThrow().getAdditionalProperties();
        assertThat(rule.get("spec")).isEqualTo(ProjectFiles.yaml(ProjectFiles.ALERT_RULES));
    }

    @Test
    void withoutAutoscalingTheDeploymentSetsReplicas() {
        KubernetesObjects fixed = Chart.render(Map.of("autoscaling.enabled", false, "replicaCount", 3));
        assertThat(fixed.ofType(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(fixed.single(Deployment.class).getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void databaseAndBootstrapValuesReachTheConfiguration() {
        KubernetesObjects custom = Chart.render(Map.of("postgresql.host", "db.example.internal", "postgresql.database", "recs",
                "postgresql.parameters", "sslmode=require", "bootstrap.dataset", "/data/tiktok", "bootstrap.model", "/data/model"));
        Map<String, String> config = custom.named(ConfigMap.class, "mambarec").getData();
        assertThat(config).containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://db.example.internal:5432/recs?sslmode=require")
                .containsEntry("MAMBAREC_BOOTSTRAP_DATASET", "/data/tiktok")
                .containsEntry("MAMBAREC_BOOTSTRAP_MODEL", "/data/model");
        assertThat(defaults.named(ConfigMap.class, "mambarec").getData()).doesNotContainKeys("MAMBAREC_BOOTSTRAP_DATASET", "MAMBAREC_BOOTSTRAP_MODEL")
                .containsEntry("MAMBAREC_BOOTSTRAP_DEMO", "true");
        assertThat(Chart.render(Map.of("bootstrap.demo", false)).named(ConfigMap.class, "mambarec").getData())
                .containsEntry("MAMBAREC_BOOTSTRAP_DEMO", "false");
    }

    @Test
    void valuesSchemaRejectsMistypedValues() {
        // values.schema.json: a misspelt key or a wrong type fails instead of being silently ignored
        assertThatThrownBy(() -> Chart.template(Map.of("postgres.host", "db")))
                .hasMessageContaining("postgres");
        assertThatThrownBy(() -> Chart.template(Map.of("autoscaling.minReplicas", "two")))
                .hasMessageContaining("minReplicas");
    }

    @Test
    void refusesToRenderWithoutAnExternalDatabase() {
        assertThatThrownBy(() -> Chart.template(Map.of("postgresql.host", "")))
                .hasMessageContaining("postgresql.host is required");
    }

    private static ConfigMap configMap(String name) {
        return defaults.named(ConfigMap.class, name);
    }

    private static Container container(Deployment deployment) {
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    private static void assertHttpProbe(Probe probe, String path) {
        assertThat(probe).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }

    private static java.math.BigDecimal bytes(Object quantity) {
        return Quantity.getAmountInBytes(quantity instanceof Quantity q ? q : new Quantity((String) quantity));
    }
}
