package io.mambarec.storage;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.springframework.data.domain.Persistable;

/** One retraining job (table {@code training_job}): its request, progress and outcome. */
@Entity
@Table(name = "training_job")
public class TrainingJob implements Persistable<UUID> {

    @Id
    private UUID id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private TrainingJobStatus status;

    @Column(name = "model_name", nullable = false)
    private String modelName;

    /** The request as resolved, JSON. */
    @Column(nullable = false)
    @JdbcTypeCode(SqlTypes.JSON)
    private String request;

    private int epoch;

    @Column(name = "max_epochs")
    private int maxEpochs;

    @Column(name = "last_loss")
    private Double lastLoss;

    @Column(name = "valid_recall20")
    private Double validRecall20;

    @Column(name = "best_epoch")
    private Integer bestEpoch;

    @Column(name = "seconds_per_epoch")
    private Double secondsPerEpoch;

    @Column(name = "model_version")
    private Long modelVersion;

    @Column(name = "candidate_recall20")
    private Double candidateRecall20;

    @Column(name = "active_recall20")
    private Double activeRecall20;

    @Column(name = "popular_recall20")
    private Double popularRecall20;

    private String error;

    @Column(name = "cancel_requested")
    private boolean cancelRequested;
    /** The process that runs (or last ran) it: {@code mambarec.replica-id}. */
    private String replica;
    /** How many times a trainer claimed it. */
    private int attempts;

    @Column(name = "lease_until")
    private Instant leaseUntil;

    @Column(name = "resumed_from_epoch")
    private Integer resumedFromEpoch;

    /** An auto job's point its latest attempt resumed (its {@code resumedFromEpoch} is that point's epoch). */
    @Column(name = "resumed_point")
    private Integer resumedPoint;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "heartbeat_at")
    private Instant heartbeatAt;

    /** Ids are assigned by the service, so Spring Data cannot tell a new row by a null id. */
    /** An auto job's search report, JSON (null for other jobs). */
    @JdbcTypeCode(SqlTypes.JSON)
    private String search;

    @Transient
    private boolean isNew = true;

    protected TrainingJob() {}

    @PostLoad
    @PostPersist
    void markStored() {
        isNew = false;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    public TrainingJob(UUID id, String modelName, String requestJson, int maxEpochs, Instant createdAt) {
        this.id = id;
        this.status = TrainingJobStatus.QUEUED;
        this.modelName = modelName;
        this.request = requestJson;
        this.maxEpochs = maxEpochs;
        this.createdAt = createdAt;
    }

    @Override
    public UUID getId() {
        return id;
    }

    public TrainingJobStatus getStatus() {
        return status;
    }

    public String getModelName() {
        return modelName;
    }

    public String getSearch() {
        return search;
    }

    public String getRequest() {
        return request;
    }

    public int getEpoch() {
        return epoch;
    }

    public int getMaxEpochs() {
        return maxEpochs;
    }

    public Double getLastLoss() {
        return lastLoss;
    }

    public Double getValidRecall20() {
        return validRecall20;
    }

    public Integer getBestEpoch() {
        return bestEpoch;
    }

    public Double getSecondsPerEpoch() {
        return secondsPerEpoch;
    }

    public Long getModelVersion() {
        return modelVersion;
    }

    public Double getCandidateRecall20() {
        return candidateRecall20;
    }

    public Double getActiveRecall20() {
        return activeRecall20;
    }

    public Double getPopularRecall20() {
        return popularRecall20;
    }

    public String getError() {
        return error;
    }

    public boolean isCancelRequested() {
        return cancelRequested;
    }

    public String getReplica() {
        return replica;
    }

    public int getAttempts() {
        return attempts;
    }

    public Instant getLeaseUntil() {
        return leaseUntil;
    }

    public Integer getResumedFromEpoch() {
        return resumedFromEpoch;
    }

    public Integer getResumedPoint() {
        return resumedPoint;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public Instant getHeartbeatAt() {
        return heartbeatAt;
    }
}
