package io.mambarec.registry;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.mambarec.metrics.ServiceMetrics;
import io.mambarec.model.Embeddings;
import io.mambarec.model.ModelArtifact;
import io.mambarec.model.RecommenderModel;
import io.mambarec.serving.ActiveModel;
import io.mambarec.serving.ServingModel;
import io.mambarec.storage.ModelVersion;
import io.mambarec.storage.ModelVersionRepository;
import io.mambarec.storage.ModelVersionStatus;
import io.mambarec.storage.ModelVersionSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The model registry: versions in PostgreSQL (manifest, DJL-encoded parameters, SHA-256,
 * metrics, configuration), exactly one ACTIVE, and the bridge to serving. Loading a version
 * verifies its checksum, rebuilds the model with DJL, computes its embeddings once in eval mode
 * and closes every native array; serving then works on plain float matrices.
 *
 * <p>Activation (a job's candidate, a rollback, a version another replica activated) swaps
 * {@link ActiveModel} in one step, so no request is dropped. Replicas converge by
 * {@link #syncActive()}, which {@link ActiveVersionPoller} calls every ~2 s.
 */
@Service
public class ModelRegistry {

    private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);
    /** Serialises activations across replicas (pg_advisory_xact_lock key pair). */
    private static final int LOCK_CLASS = 0x4D524543; // "MREC"
    private static final int ACTIVATION_LOCK = 2;

    private final ModelVersionRepository versions;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ActiveModel activeModel;
    private final ServiceMetrics metrics;
    private final JsonMapper json = JsonMapper.builder().build();

    /** Version this replica serves (0: none); guarded by {@code this}. */
    private long servedVersion;
    /** The instance handed to {@link ActiveModel} for {@link #servedVersion}; guarded by {@code this}. */
    private ServingModel servedModel;
    /** A version that failed to load, not retried by the poller until the active version changes. */
    private long failedVersion;

    public ModelRegistry(ModelVersionRepository versions, JdbcTemplate jdbc, TransactionTemplate tx,
            ActiveModel activeModel, ServiceMetrics metrics) {
        this.versions = versions;
        this.jdbc = jdbc;
        this.tx = tx;
        this.activeModel = activeModel;
        this.metrics = metrics;
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

    /** The version this replica serves right now, 0 when none. */
    public synchronized long servedVersion() {
        return servedVersion;
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
     * Stores a version, makes it the ACTIVE one in the same transaction and serves it here at once;
     * {@code served} are its already computed serving embeddings (version filled in here).
     */
    public synchronized ServingModel storeAndActivate(NewModelVersion candidate, ServingModel served) {
        return storeAndActivate(candidate, served, false).orElseThrow();
    }

    /**
     * As {@link #storeAndActivate(NewModelVersion, ServingModel)}, but only when the registry is
     * still empty (checked under the activation lock, so one of several starting replicas wins).
     */
    public synchronized Optional<ServingModel> storeAndActivateIfEmpty(NewModelVersion candidate, ServingModel served) {
        return storeAndActivate(candidate, served, true);
    }

    private Optional<ServingModel> storeAndActivate(NewModelVersion candidate, ServingModel served,
            boolean onlyIfEmpty) {
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
        ServingModel model = new ServingModel(version, served.modelName(), served.userIds(), served.itemIds(),
                served.embeddings(), served.testMetrics());
        serve(model);
        return Optional.of(model);
    }

    /**
     * Activates a stored version (operator rollback): loads and verifies it first, so a version that
     * cannot be served is never marked active; then marks it ACTIVE and serves it.
     */
    public synchronized ServingModel activate(long version) {
        get(version);
        ServingModel model = load(version);
        tx.executeWithoutResult(s -> {
            lockActivation();
            versions.deactivateOthers(version);
            versions.markActive(version, Instant.now());
        });
        serve(model);
        return model;
    }

    /**
     * Serves the database's ACTIVE version if this replica serves another one; serves none when
     * the database has none (the registry decides). A version that fails to load is logged and
     * not retried until the active version changes; the previous one keeps serving.
     */
    public synchronized void syncActive() {
        Optional<Long> active = versions.findActiveVersion();
        if (active.isEmpty()) {
            // stop serving a version the registry no longer has; a model put in place by other code is left alone
            if (servedVersion != 0 && activeModel.current().orElse(null) == servedModel) {
                log.warn("no active model version in the registry: this replica stops serving version {}",
                        servedVersion);
                activeModel.activate(null);
                metrics.activeModel(0, Double.NaN);
            }
            servedVersion = 0;
            servedModel = null;
            return;
        }
        long version = active.get();
        if (version == servedVersion || version == failedVersion) {
            return;
        }
        try {
            serve(load(version));
            log.info("serving model version {}", version);
        } catch (RuntimeException e) {
            failedVersion = version;
            log.error("cannot serve active model version {}; keeping version {}: {}", version, servedVersion,
                    e.getMessage(), e);
        }
    }

    /**
     * Reads a version, checks the SHA-256 of its parameters, rebuilds it with DJL and computes its
     * embeddings once in eval mode. Every native array is closed before returning.
     */
    public ServingModel load(long version) {
        ModelVersion row = versions.findById(version).orElseThrow(() -> new UnknownModelVersionException(version));
        ModelArtifact artifact = ModelArtifact.of(row.getManifest(), row.getParameters());
        String actual = artifact.sha256();
        if (!actual.equals(row.getSha256())) {
            throw new ModelIntegrityException("model version " + version + " fails its checksum: stored sha256 "
                    + row.getSha256() + ", parameters hash to " + actual);
        }
        Embeddings embeddings = embeddingsOf(artifact);
        ModelMetrics figures = json.readValue(row.getMetrics(), ModelMetrics.class);
        return new ServingModel(version, row.getModelName(), artifact.manifest().userIds(),
                artifact.manifest().itemIds(), embeddings, figures.test());
    }

    /** The artifact's final user and item embeddings (eval mode, no gradient), native memory released. */
    public static Embeddings embeddingsOf(ModelArtifact artifact) {
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager manager = NDManager.newBaseManager(); RecommenderModel model = artifact.restore(manager)) {
            return model.embeddings();
        } catch (RuntimeException e) {
            throw new ModelIntegrityException("cannot rebuild model " + artifact.manifest().model() + ": "
                    + e.getMessage(), e);
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private ModelVersion insert(NewModelVersion candidate, ModelVersionStatus status) {
        ModelArtifact artifact = candidate.artifact();
        return versions.saveAndFlush(new ModelVersion(artifact.manifest().model(), status, artifact.manifestJson(),
                artifact.parameters(), artifact.sha256(), json.writeValueAsString(candidate.metrics()),
                json.writeValueAsString(candidate.config()), candidate.jobId(), candidate.source(), Instant.now()));
    }

    private void lockActivation() {
        jdbc.queryForObject("select pg_advisory_xact_lock(?, ?)::text", String.class, LOCK_CLASS, ACTIVATION_LOCK);
    }

    private void serve(ServingModel model) {
        activeModel.activate(model);
        servedModel = model;
        servedVersion = model.version();
        failedVersion = 0;
        metrics.activeModel(model.version(), model.testMetrics().getOrDefault(ModelMetrics.RECALL_20, Double.NaN));
    }
}
