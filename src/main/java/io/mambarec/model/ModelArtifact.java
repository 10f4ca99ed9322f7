package io.mambarec.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A trained model as bytes: its manifest and its state (parameters, running statistics and graph
 * buffers) in DJL's NDList encoding. The same artifact is a folder for the command line
 * ({@code model.json} + {@code model.params}) and a version of the service's model registry. The
 * state is a {@link ModelParameters} stream: hashing, restoring and storing it read it piece by
 * piece, so an artifact read from a folder or the registry is never held on the heap whole.
 */
public record ModelArtifact(ModelManifest manifest, ModelParameters parameters) {

    /** Read-ahead of the NDList decoder (DJL copies each array through its own 80 KB buffer). */
    private static final int READ_BUFFER = 1 << 16;

    public static final String MANIFEST_FILE = "model.json";
    public static final String PARAMETERS_FILE = "model.params";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Captures the current state of a model trained on {@code data} with {@code seed}, with its
     * provenance; a {@link SeedEnsemble}'s provenance names its first member's seed, its manifest all of them.
     */
    public static ModelArtifact of(RecommenderModel model, Dataset data, long seed) {
        List<Long> memberSeeds =
                model instanceof SeedEnsemble ensemble && ensemble.members().size() > 1 ? ensemble.seeds() : null;
        ModelManifest manifest = new ModelManifest(
                memberSeeds == null ? ModelManifest.SINGLE_MODEL_FORMAT : ModelManifest.FORMAT_VERSION,
                model.name(),
                data.name(),
                model.hyperparameters().asMap(),
                model.shape(),
                data.userIds(),
                data.itemIds(),
                Instant.now().toString(),
                Provenance.of(data, memberSeeds == null ? seed : memberSeeds.get(0)),
                memberSeeds);
        return new ModelArtifact(manifest, ModelParameters.of(model.state().encode()));
    }

    /** Rebuilds the model, its arrays owned by {@code manager}. */
    public RecommenderModel restore(NDManager manager) {
        try (InputStream in = parameters.open()) {
            return restore(manager, in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the parameters of model " + manifest.model(), e);
        }
    }

    /**
     * Rebuilds the model from {@code encoded}, a stream over this artifact's parameters the caller
     * opened (to hash them on the way, say), its arrays owned by {@code manager}. Reads the arrays
     * and nothing after them.
     */
    public RecommenderModel restore(NDManager manager, InputStream encoded) {
        ModelDefinition definition = Models.get(manifest.model());
        Hyperparameters params = Hyperparameters.fromValues(definition.params(), manifest.hyperparameters());
        NDList state = NDList.decode(manager, new BufferedInputStream(encoded, READ_BUFFER));
        if (manifest.members() == 1) {
            return definition.restore(manifest.shape(), params, state, manager);
        }
        List<RecommenderModel> members = new ArrayList<>(manifest.members());
        try {
            for (NDList member : SeedEnsemble.split(state, manifest.members())) {
                members.add(definition.restore(manifest.shape(), params, member, manager));
            }
        } catch (RuntimeException e) {
            members.forEach(RecommenderModel::close);
            throw e;
        }
        return new SeedEnsemble(members, manifest.memberSeeds());
    }

    /** SHA-256 of the parameters, hex: the registry's integrity check. */
    public String sha256() {
        MessageDigest digest = newSha256();
        if (parameters instanceof ModelParameters.InMemory memory) {
            return HexFormat.of().formatHex(digest.digest(memory.bytes()));
        }
        byte[] buffer = new byte[READ_BUFFER];
        try (InputStream in = parameters.open()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the parameters of model " + manifest.model(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A new SHA-256 digest (the algorithm of {@link #sha256()}). */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
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
        return of(manifestJson, ModelParameters.of(parameters));
    }

    /** As {@link #of(byte[], byte[])}, with the parameters as a stream. */
    public static ModelArtifact of(byte[] manifestJson, ModelParameters parameters) {
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
            if (parameters instanceof ModelParameters.InMemory memory) {
                Files.write(dir.resolve(PARAMETERS_FILE), memory.bytes());
            } else {
                try (InputStream in = parameters.open()) {
                    Files.copy(in, dir.resolve(PARAMETERS_FILE), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model to " + dir, e);
        }
    }

    /** Reads a folder's model: the manifest now, the parameters from their file whenever they are read. */
    public static ModelArtifact readFrom(Path dir) {
        Path manifest = dir.resolve(MANIFEST_FILE);
        Path params = dir.resolve(PARAMETERS_FILE);
        if (!Files.isRegularFile(manifest) || !Files.isRegularFile(params)) {
            throw new IllegalArgumentException(
                    dir + " holds no saved model (" + MANIFEST_FILE + " and " + PARAMETERS_FILE + " expected)");
        }
        try {
            return of(Files.readAllBytes(manifest), ModelParameters.of(params));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model from " + dir, e);
        }
    }
}
