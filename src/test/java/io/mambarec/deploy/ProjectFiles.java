package io.mambarec.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Paths of the deployment files (tests run in the project's root folder) and plain parsing. */
final class ProjectFiles {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path CHART = ROOT.resolve("helm/mambarec");
    static final Path K8S = ROOT.resolve("k8s");
    static final Path PROMETHEUS_CONFIG = ROOT.resolve("ops/prometheus/prometheus.yml");
    static final Path ALERT_RULES = ROOT.resolve("ops/prometheus/alerts.yml");
    static final Path ALERT_RULE_TESTS = ROOT.resolve("ops/prometheus/alerts.test.yml");
    static final Path DASHBOARD = ROOT.resolve("ops/grafana/dashboards/mambarec.json");
    static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    static final Path ENV_EXAMPLE = ROOT.resolve(".env.example");
    static final Path DOCKERFILE = ROOT.resolve("Dockerfile");

    private ProjectFiles() {}

    static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every YAML document of the text, as plain maps and lists (empty documents dropped). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> yamlDocuments(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(8 * 1024 * 1024);
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml(options).loadAll(text)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    static Map<String, Object> yaml(Path path) {
        List<Map<String, Object>> documents = yamlDocuments(read(path));
        if (documents.size() != 1) {
            throw new IllegalArgumentException(path + " holds " + documents.size() + " YAML documents, expected 1");
        }
        return documents.get(0);
    }

    static JsonNode json(String text) {
        return JsonMapper.builder().build().readTree(text);
    }
}
