package io.mambarec.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A trained model as bytes: its manifest and its state (parameters, running statistics and graph
 * buffers) in DJL's NDList encoding. The same artifact is a folder for the command line
 * ({@code model.json} + {@code model.params}) and a row for the service's model registry.
 */
public record ModelArtifact(ModelManifest manifest, byte[] parameters) {

    public static final String MANIFEST_FILE = "model.json";
    public static final String PARAMETERS_FILE = "model.params";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Captures the current state of a model trained on {@code data} with {@code seed}, with its provenance. */
    public static ModelArtifact of(RecommenderModel model, Dataset data, long seed) {
        ModelManifest manifest = new ModelManifest(
                ModelManifest.FORMAT_VERSION,
                model.name(),
                data.name(),
                model.hyperparameters().asMap(),
                model.shape(),
                data.userIds(),
                data.itemIds(),
                Instant.now().toString(),
                Provenance.of(data, seed));
        return new ModelArtifact(manifest, model.state().encode());
    }

    /** Rebuilds the model, its arrays owned by {@code manager}. */
    public RecommenderModel restore(NDManager manager) {
        ModelDefinition definition = Models.get(manifest.model());
        Hyperparameters params = Hyperparameters.fromValues(definition.params(), manifest.hyperparameters());
        NDList state = NDList.decode(manager, parameters);
        return definition.restore(manifest.shape(), params, state, manager);
    }

    /** SHA-256 of the parameters, hex: the registry's integrity check. */
    public String sha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(parameters));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] manifestJson() {
        return JSON.writeValueAsBytes(manifest);
    }

    /**
     * Reads a stored artifact. A manifest of a format this build does not know is refused with
     * {@link UnsupportedModelFormatException} before anything else of it is read.
     */
    public static ModelArtifact of(byte[] manifestJson, byte[] parameters) {
        JsonNode tree = JSON.readTree(manifestJson);
        if (!(tree instanceof ObjectNode manifest)) {
            throw new UnsupportedModelFormatException("the model manifest is not a JSON object");
        }
        JsonNode format = manifest.get("formatVersion");
        if (format == null) {
            manifest.put("formatVersion", 1); // format 1 had no version field
        } else if (!format.isIntegralNumber()
                || format.asLong() < ModelManifest.OLDEST_READABLE
                || format.asLong() > ModelManifest.FORMAT_VERSION) {
            throw new UnsupportedModelFormatException("the model's format version is " + format
                    + "; this build reads format versions " + ModelManifest.OLDEST_READABLE + " to "
                    + ModelManifest.FORMAT_VERSION + " (a model saved by a newer release needs that release)");
        }
        return new ModelArtifact(JSON.treeToValue(manifest, ModelManifest.class), parameters);
    }

    public void writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(MANIFEST_FILE), manifestJson());
            Files.write(dir.resolve(PARAMETERS_FILE), parameters);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model to " + dir, e);
        }
    }

    public static ModelArtifact readFrom(Path dir) {
        Path manifest = dir.resolve(MANIFEST_FILE);
        Path params = dir.resolve(PARAMETERS_FILE);
        if (!Files.isRegularFile(manifest) || !Files.isRegularFile(params)) {
            throw new IllegalArgumentException(
                    dir + " holds no saved model (" + MANIFEST_FILE + " and " + PARAMETERS_FILE + " expected)");
        }
        try {
            return of(Files.readAllBytes(manifest), Files.readAllBytes(params));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model from " + dir, e);
        }
    }
}
