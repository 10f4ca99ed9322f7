package io.mambarec.storage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One stored model version (table {@code model_version}): the artifact's manifest, the size and
 * SHA-256 of its parameters (stored beside it in chunks, {@link ModelParameterChunks}), metrics,
 * configuration and provenance ({@link ModelVersionProvenance}). Listings use {@link ModelVersionSummary}.
 */
@Entity
@Table(name = "model_version")
public class ModelVersion {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long version;

    @Column(name = "model_name", nullable = false)
    private String modelName;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ModelVersionStatus status;

    @Column(nullable = false)
    private byte[] manifest;

    /** Bytes of the parameters' NDList encoding, the total of the version's chunks. */
    @Column(name = "parameters_size", nullable = false)
    private long parametersSize;

    @Column(nullable = false, length = 64)
    @JdbcTypeCode(SqlTypes.CHAR)
    private String sha256;

    /** {"valid": {...}, "test": {...}}, JSON. */
    @Column(nullable = false)
    @JdbcTypeCode(SqlTypes.JSON)
    private String metrics;

    /** Hyper-parameters and settings, JSON. */
    @Column(nullable = false)
    @JdbcTypeCode(SqlTypes.JSON)
    private String config;

    @Column(name = "job_id")
    private UUID jobId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ModelVersionSource source;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "activated_at")
    private Instant activatedAt;

    @Column(name = "format_version", nullable = false)
    private int formatVersion;

    private Long seed;

    @Column(name = "code_version", length = 64)
    private String codeVersion;

    /** Split sizes and SHA-256 fingerprints of the training data, JSON; null before format 2. */
    @Column(name = "data_fingerprint")
    @JdbcTypeCode(SqlTypes.JSON)
    private String dataFingerprint;

    /** Resolved hyper-parameters and training settings, JSON. */
    @JdbcTypeCode(SqlTypes.JSON)
    private String settings;

    protected ModelVersion() {}

    public ModelVersion(
            String modelName,
            ModelVersionStatus status,
            byte[] manifest,
            long parametersSize,
            String sha256,
            String metricsJson,
            String configJson,
            UUID jobId,
            ModelVersionSource source,
            Instant createdAt,
            ModelVersionProvenance provenance) {
        this.modelName = modelName;
        this.status = status;
        this.manifest = manifest;
        this.parametersSize = parametersSize;
        this.sha256 = sha256;
        this.metrics = metricsJson;
        this.config = configJson;
        this.jobId = jobId;
        this.source = source;
        this.createdAt = createdAt;
        this.formatVersion = provenance.formatVersion();
        this.seed = provenance.seed();
        this.codeVersion = provenance.codeVersion();
        this.dataFingerprint = provenance.dataFingerprintJson();
        this.settings = provenance.settingsJson();
    }

    public Long getVersion() {
        return version;
    }

    public String getModelName() {
        return modelName;
    }

    public ModelVersionStatus getStatus() {
        return status;
    }

    public byte[] getManifest() {
        return manifest;
    }

    public long getParametersSize() {
        return parametersSize;
    }

    public String getSha256() {
        return sha256;
    }

    public String getMetrics() {
        return metrics;
    }

    public String getConfig() {
        return config;
    }

    public UUID getJobId() {
        return jobId;
    }

    public ModelVersionSource getSource() {
        return source;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getActivatedAt() {
        return activatedAt;
    }

    public ModelVersionProvenance getProvenance() {
        return new ModelVersionProvenance(formatVersion, seed, codeVersion, dataFingerprint, settings);
    }
}
