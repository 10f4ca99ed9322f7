package io.mambarec.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * k8s/ holds the chart rendered with its default values (release "mambarec"), one file per template.
 * Every file parses as typed Kubernetes objects, and re-rendering the chart gives the same objects.
 * After changing the chart, regenerate k8s/ with
 * {@code ./mvnw test -Dtest=KubernetesManifestsTest -Dmambarec.k8s.regenerate=true}.
 */
class KubernetesManifestsTest {

    private static final Pattern SOURCE = Pattern.compile("(?m)^# Source: mambarec/templates/(\\S+)$");
    private static final String HEADER = """
            # Rendered from helm/mambarec with its default values and migration.hook=false (release name
            # "mambarec"): do not edit. Regenerate: ./mvnw test -Dtest=KubernetesManifestsTest -Dmambarec.k8s.regenerate=true
            # Needs the Secret "mambarec" (keys admin-api-key, database-password, migration-database-password,
            # optional client-api-keys) and a PostgreSQL reachable as "postgresql:5432" (see docs/deploy.md).
            # Apply migration-job.yaml first and wait for it to complete, then the rest.
            """;

    @Test
    void everyFileInK8sParsesAsTypedKubernetesObjects() throws IOException {
        List<Path> files = manifestFiles();
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            KubernetesObjects objects = KubernetesObjects.parse(Files.readString(file));
            assertThat(objects.all()).as(file.toString()).isNotEmpty();
            objects.all()
                    .forEach(o -> assertThat(o.getMetadata().getLabels())
                            .as("labels of %s in %s", o.getKind(), file)
                            .containsEntry("app.kubernetes.io/name", "mambarec"));
        }
        Deployment deployment = KubernetesObjects.parse(
                        Files.readString(ProjectFiles.K8S.resolve("server-deployment.yaml")))
                .single(Deployment.class);
        assertThat(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getReadinessProbe()
                        .getHttpGet()
                        .getPath())
                .isEqualTo("/actuator/health/readiness");
    }

    @Test
    void k8sIsTheChartRenderedWithDefaultValues() throws IOException {
        Map<String, String> rendered = renderedFiles();
        if (Boolean.getBoolean("mambarec.k8s.regenerate")) {
            regenerate(rendered);
        }
        Map<String, String> kept = new TreeMap<>();
        for (Path file : manifestFiles()) {
            kept.put(file.getFileName().toString(), Files.readString(file));
        }
        assertThat(kept.keySet())
                .as("files in k8s/ (regenerate: see class comment)")
                .isEqualTo(rendered.keySet());
        rendered.forEach((file, yaml) -> assertThat(objects(kept.get(file)))
                .as("k8s/%s differs from the chart's rendering (regenerate: see class comment)", file)
                .isEqualTo(objects(yaml)));
    }

    /** The chart's default rendering, split by template into k8s/ file names. */
    static Map<String, String> renderedFiles() {
        Map<String, String> files = new TreeMap<>();
        for (String document : Chart.template(Map.of("migration.hook", false)).split("(?m)^---\\s*$")) {
            Matcher source = SOURCE.matcher(document);
            if (source.find()) {
                files.merge(source.group(1), document.substring(source.end()).strip(), (a, b) -> a + "\n---\n" + b);
            }
        }
        return files;
    }

    private static void regenerate(Map<String, String> rendered) throws IOException {
        Files.createDirectories(ProjectFiles.K8S);
        for (Path old : manifestFiles()) {
            Files.delete(old);
        }
        for (Map.Entry<String, String> file : rendered.entrySet()) {
            Files.writeString(ProjectFiles.K8S.resolve(file.getKey()), HEADER + "---\n" + file.getValue() + "\n");
        }
    }

    private static List<Path> manifestFiles() throws IOException {
        if (!Files.isDirectory(ProjectFiles.K8S)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(ProjectFiles.K8S)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The objects of a file keyed by kind and name, as plain maps (order of keys does not matter). */
    private static Map<String, Map<String, Object>> objects(String yaml) {
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        KubernetesObjects.parse(yaml);
        for (Map<String, Object> document : ProjectFiles.yamlDocuments(yaml)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = (Map<String, Object>) document.get("metadata");
            byName.put(document.get("kind") + "/" + metadata.get("name"), document);
        }
        return byName;
    }
}
