package io.mambarec.registry;

import ai.djl.ndarray.NDManager;
import io.mambarec.model.Embeddings;
import io.mambarec.model.ModelArtifact;
import io.mambarec.model.ModelManifest;
import io.mambarec.model.ModelParameters;
import io.mambarec.model.NoGrad;
import io.mambarec.model.Provenance;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.UnsupportedModelFormatException;
import io.mambarec.runtime.NativeMemory;
import io.mambarec.serving.ServingModel;
import io.mambarec.storage.ModelParameterChunks;
import io.mambarec.storage.ModelVersion;
import io.mambarec.storage.ModelVersionProvenance;
import io.mambarec.storage.ModelVersionRepository;
import io.mambarec.storage.ModelVersionStatus;
import io.mambarec.storage.ModelVersionSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model registry: versions in PostgreSQL (manifest, DJL-encoded parameters in chunks, SHA-256,
 * metrics, configuration), exactly one ACTIVE. Parameters are written and read as a stream of
 * chunks ({@link ModelParameterChunks}), so registering or loading a version needs no more heap for
 * them than a chunk, whatever the model's size. Loading a version rebuilds the model with DJL while
 * verifying the parameters' checksum on the way, computes its embeddings once in eval mode and
 * closes every native array; serving then works on plain float matrices.
 *
 * <p>Every activation publishes {@link ActiveVersionChanged} after its commit; in a serving process
 * {@link ServedModel} serves the new version at once, and the other replicas follow it within their
 * poll interval. The registry itself holds no served state, so a trainer uses it too.
 */
@Service
public class ModelRegistry {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    /** Serialises activations across replicas (pg_advisory_xact_lock key pair). */
    private static final int LOCK_CLASS = 0x4D524543; // "MREC"

    private static final int ACTIVATION_LOCK = 2;

    private final ModelVersionRepository versions;
    private final ModelParameterChunks chunks;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final JsonMapper json = JsonMapper.builder().build();

    public ModelRegistry(
            ModelVersionRepository versions,
            ModelParameterChunks chunks,
            JdbcTemplate jdbc,
            TransactionTemplate tx,
            ApplicationEventPublisher events) {
        this.versions = versions;
        this.chunks = chunks;
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
    }

    public List<ModelVersionSummary> list() {
        return versions.listSummaries();
    }

    public ModelVersionSummary get(long version) {
        return versions.findSummary(version).orElseThrow(() -> new UnknownModelVersionException(version));
    }

    public boolean isEmpty() {
        return versions.count() == 0;
    }

    /** The version marked ACTIVE in the database (what every replica converges to). */
    public Optional<Long> activeVersion() {
        return versions.findActiveVersion();
    }

    public ModelMetrics metricsOf(ModelVersionSummary summary) {
        return json.readValue(summary.metrics(), ModelMetrics.class);
    }

    public Map<String, Object> configOf(ModelVersionSummary summary) {
        return json.readValue(summary.config(), Map.class);
    }

    /** Stores a version as INACTIVE or REJECTED; returns its number. */
    public long store(NewModelVersion candidate, ModelVersionStatus status) {
        if (status == ModelVersionStatus.ACTIVE) {
            throw new IllegalArgumentException("use storeAndActivate for a version that becomes active");
        }
        return tx.execute(s -> insert(candidate, status).getVersion());
    }

    /**
     * Stores a version and makes it the ACTIVE one in the same transaction; {@code embeddings} are
     * its already computed serving embeddings (handed to this process's serving, if any). Returns the version.
     */
    public long storeAndActivate(NewModelVersion candidate, Embeddings embeddings) {
        return storeAndActivate(candidate, embeddings, false).orElseThrow();
    }

    /**
     * As {@link #storeAndActivate(NewModelVersion, Embeddings)}, but only when the registry is still
     * empty (checked under the activation lock, so one of several starting replicas wins).
     */
    public Optional<Long> storeAndActivateIfEmpty(NewModelVersion candidate, Embeddings embeddings) {
        return storeAndActivate(candidate, embeddings, true);
    }

    private Optional<Long> storeAndActivate(NewModelVersion candidate, Embeddings embeddings, boolean onlyIfEmpty) {
        Long version = tx.execute(s -> {
            lockActivation();
            if (onlyIfEmpty && versions.count() > 0) {
                return null;
            }
            versions.deactivateOthers(-1);
            ModelVersion row = insert(candidate, ModelVersionStatus.ACTIVE);
            versions.markActive(row.getVersion(), Instant.now());
            return row.getVersion();
        });
        if (version == null) {
            return Optional.empty();
        }
        ModelArtifact artifact = candidate.artifact();
        events.publishEvent(new ActiveVersionChanged(
                version,
                new ServingModel(
                        version,
                        artifact.manifest().model(),
                        artifact.manifest().userIds(),
                        artifact.manifest().itemIds(),
                        embeddings,
                        candidate.metrics().test())));
        return Optional.of(version);
    }

    /**
     * Activates a stored version (operator rollback): loads and verifies it first, so a version that
     * cannot be served is never marked active; then marks it ACTIVE.
     */
    public void activate(long version) {
        get(version);
        ServingModel model = load(version);
        tx.executeWithoutResult(s -> {
            lockActivation();
            versions.deactivateOthers(version);
            versions.markActive(version, Instant.now());
        });
        log.info("model version {} activated", version);
        events.publishEvent(new ActiveVersionChanged(version, model));
    }

    /**
     * Reads a version, rebuilds it with DJL from its chunks while checking their SHA-256 and computes
     * its embeddings once in eval mode. Every native array is closed, and the memory glibc kept of
     * them released, before returning.
     */
    public ServingModel load(long version) {
        ModelVersion row = versions.findById(version).orElseThrow(() -> new UnknownModelVersionException(version));
        ModelArtifact artifact;
        try {
            artifact = ModelArtifact.of(row.getManifest(), storedParameters(version, row.getParametersSize()));
        } catch (UnsupportedModelFormatException e) {
            throw new ModelIntegrityException("model version " + version + " cannot be read: " + e.getMessage(), e);
        }
        Embeddings embeddings = verifiedEmbeddingsOf(version, artifact, row.getSha256());
        // the rebuild's native arrays are closed: what glibc kept of them goes back to the system
        // (without it a 1M-interaction shop's replica stayed ~1.9 GB larger after each activation)
        NativeMemory.releaseFreeMemory()
                .ifPresent(released ->
                        log.info("model version {} loaded: memory freed: {}", version, released.describe()));
        ModelMetrics figures = json.readValue(row.getMetrics(), ModelMetrics.class);
        return new ServingModel(
                version,
                row.getModelName(),
                artifact.manifest().userIds(),
                artifact.manifest().itemIds(),
                embeddings,
                figures.test());
    }

    /** A stored version's parameters, streamed from its chunks whenever they are opened. */
    ModelParameters storedParameters(long version, long size) {
        return ModelParameters.streamed(size, () -> chunks.open(version, size));
    }

    /**
     * {@link #embeddingsOf(ModelArtifact)} of a stored version whose parameters must hash to
     * {@code storedSha256}: the hash is taken while DJL decodes them (one pass over the chunks) and
     * compared before the model is used; a mismatch, a missing chunk or an undecodable state is a
     * {@link ModelIntegrityException}.
     */
    static Embeddings verifiedEmbeddingsOf(long version, ModelArtifact artifact, String storedSha256) {
        try (NoGrad noGrad = NoGrad.open();
                NDManager manager = NDManager.newBaseManager();
                DigestInputStream in =
                        new DigestInputStream(artifact.parameters().open(), ModelArtifact.newSha256())) {
            RecommenderModel model = null;
            Throwable unreadable = null;
            try {
                model = artifact.restore(manager, in);
            } catch (RuntimeException | OutOfMemoryError e) { // a corrupted array length: a huge direct buffer
                unreadable = e;
            }
            in.transferTo(OutputStream.nullOutputStream()); // the hash covers every stored byte
            String actual = HexFormat.of().formatHex(in.getMessageDigest().digest());
            if (!actual.equals(storedSha256)) {
                throw new ModelIntegrityException("model version " + version + " fails its checksum: stored sha256 "
                        + storedSha256 + ", parameters hash to " + actual);
            }
            if (unreadable instanceof RuntimeException e) {
                throw e;
            }
            if (unreadable instanceof Error e) { // intact parameters: a real shortage
                throw e;
            }
            try (RecommenderModel restored = model) {
                return restored.embeddings();
            }
        } catch (IOException | UncheckedIOException e) {
            throw new ModelIntegrityException("model version " + version + " cannot be read: " + e.getMessage(), e);
        } catch (ModelIntegrityException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelIntegrityException(
                    "cannot rebuild model " + artifact.manifest().model() + ": " + e.getMessage(), e);
        }
    }

    /** The artifact's final user and item embeddings (eval mode, no gradient), native memory released. */
    public static Embeddings embeddingsOf(ModelArtifact artifact) {
        try (NoGrad noGrad = NoGrad.open();
                NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = artifact.restore(manager)) {
            return model.embeddings();
        } catch (RuntimeException e) {
            throw new ModelIntegrityException(
                    "cannot rebuild model " + artifact.manifest().model() + ": " + e.getMessage(), e);
        }
    }

    /** The version's row, then its parameters streamed into chunks (in the caller's transaction). */
    private ModelVersion insert(NewModelVersion candidate, ModelVersionStatus status) {
        ModelArtifact artifact = candidate.artifact();
        ModelParameters parameters = artifact.parameters();
        String sha256 = artifact.sha256();
        ModelVersion row = versions.saveAndFlush(new ModelVersion(
                artifact.manifest().model(),
                status,
                artifact.manifestJson(),
                parameters.size(),
                sha256,
                json.writeValueAsString(candidate.metrics()),
                json.writeValueAsString(candidate.config()),
                candidate.jobId(),
                candidate.source(),
                Instant.now(),
                provenanceOf(artifact.manifest())));
        String written;
        try (InputStream in = parameters.open()) {
            written = chunks.write(row.getVersion(), in, parameters.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the parameters of the model to store", e);
        }
        if (!written.equals(sha256)) { // the source changed between hashing and storing (a file rewritten)
            throw new IllegalStateException("the model's parameters changed while being stored");
        }
        return row;
    }

    private ModelVersionProvenance provenanceOf(ModelManifest manifest) {
        Provenance provenance = manifest.provenance();
        return new ModelVersionProvenance(
                manifest.formatVersion(),
                provenance == null ? null : provenance.seed(),
                provenance == null ? null : provenance.codeVersion(),
                provenance == null ? null : json.writeValueAsString(provenance.data()),
                json.writeValueAsString(manifest.hyperparameters()));
    }

    /** A version's provenance as stored beside it. */
    @SuppressWarnings("unchecked")
    public VersionProvenance provenanceOf(ModelVersionSummary summary) {
        ModelVersionProvenance stored = summary.provenance();
        return new VersionProvenance(
                stored.formatVersion(),
                stored.seed(),
                stored.codeVersion(),
                stored.dataFingerprintJson() == null
                        ? null
                        : json.readValue(stored.dataFingerprintJson(), Provenance.Data.class),
                stored.settingsJson() == null ? null : json.readValue(stored.settingsJson(), Map.class));
    }

    private void lockActivation() {
        jdbc.queryForObject("select pg_advisory_xact_lock(?, ?)::text", String.class, LOCK_CLASS, ACTIVATION_LOCK);
    }
}
