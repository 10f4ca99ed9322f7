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
import tools.jackson.databind.json.JsonMapper;

/**
 * A trained model as bytes: its manifest and its state (parameters, running statistics and graph
 * buffers) in DJL's NDList encoding. The same artifact is a folder for the command line
 * ({@code model.json} + {@code model.params}) and a row for the service's model registry.
 */
public record ModelArtifact(ModelManifest manifest, byte[] parameters) {

    public static final String MANIFEST_FILE = "model.json";
    public static final String PARAMETERS_FILE = "model.params";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Captures a trained model's current state. */
    public static ModelArtifact of(RecommenderModel model, Dataset data) {
        ModelManifest manifest = new ModelManifest(
                model.name(),
                data.name(),
                model.hyperparameters().asMap(),
                model.shape(),
                data.userIds(),
                data.itemIds(),
                Instant.now().toString());
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

    public static ModelArtifact of(byte[] manifestJson, byte[] parameters) {
        return new ModelArtifact(JSON.readValue(manifestJson, ModelManifest.class), parameters);
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
