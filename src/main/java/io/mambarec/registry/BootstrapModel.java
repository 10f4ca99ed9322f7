package io.mambarec.registry;

import io.mambarec.model.Embeddings;
import io.mambarec.model.ModelArtifact;
import io.mambarec.storage.ModelVersionSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A model trained offline by the {@code train} command, read from its output folder
 * ({@code model.json} + {@code model.params} + {@code result.json}): the train-offline,
 * serve-online workflow. Its metrics and settings come from {@code result.json}.
 */
public final class BootstrapModel {

    static final String RESULT_FILE = "result.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BootstrapModel() {}

    /** Registers and activates the folder's model if the registry is empty; returns its version. */
    public static java.util.Optional<Long> registerIfEmpty(ModelRegistry registry, Path dir) {
        ModelArtifact artifact = ModelArtifact.readFrom(dir);
        Map<String, Object> result = readResult(dir);
        ModelMetrics metrics = new ModelMetrics(doubles(result.get("valid")), doubles(result.get("test")));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", artifact.manifest().model());
        config.put("params", artifact.manifest().hyperparameters());
        for (String key : new String[] {"dataset", "seed", "epochs", "bestEpoch", "secondsPerEpoch"}) {
            if (result.containsKey(key)) {
                config.put(key, result.get(key));
            }
        }
        config.put("bootstrapFrom", dir.toAbsolutePath().toString());
        Embeddings embeddings = ModelRegistry.embeddingsOf(artifact);
        return registry.storeAndActivateIfEmpty(
                new NewModelVersion(artifact, metrics, config, null, ModelVersionSource.BOOTSTRAP), embeddings);
    }

    private static Map<String, Object> readResult(Path dir) {
        Path file = dir.resolve(RESULT_FILE);
        if (!Files.isRegularFile(file)) {
            return Map.of(); // metrics unknown: the model still serves
        }
        try {
            return JSON.readValue(Files.readAllBytes(file), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Map<String, Double> doubles(Object section) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (section instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                if (v instanceof Number n) {
                    out.put(String.valueOf(k), n.doubleValue());
                }
            });
        }
        return out;
    }
}
