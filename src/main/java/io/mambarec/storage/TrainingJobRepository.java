package io.mambarec.storage;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

/** Retraining jobs. Every state change is one conditional UPDATE, so replicas never overwrite each other. */
@Transactional
public interface TrainingJobRepository extends JpaRepository<TrainingJob, UUID> {

    List<TrainingJob> findByStatusIn(Collection<TrainingJobStatus> statuses);

    /** QUEUED -> RUNNING; 0 when the job is no longer queued (cancelled meanwhile). */
    @Modifying(clearAutomatically = true)
    @Query("update TrainingJob j set j.status = io.mambarec.storage.TrainingJobStatus.RUNNING, j.owner = :owner,"
            + " j.startedAt = :now, j.heartbeatAt = :now"
            + " where j.id = :id and j.status = io.mambarec.storage.TrainingJobStatus.QUEUED")
    int markRunning(@Param("id") UUID id, @Param("owner") String owner, @Param("now") Instant now);

    @Modifying(clearAutomatically = true)
    @Query("update TrainingJob j set j.epoch = :epoch, j.lastLoss = :loss, j.validRecall20 = :validRecall,"
            + " j.bestEpoch = :bestEpoch, j.secondsPerEpoch = :secondsPerEpoch, j.heartbeatAt = :now where j.id = :id")
    int progress(@Param("id") UUID id, @Param("epoch") int epoch, @Param("loss") double loss,
            @Param("validRecall") double validRecall, @Param("bestEpoch") int bestEpoch,
            @Param("secondsPerEpoch") double secondsPerEpoch, @Param("now") Instant now);

    @Modifying(clearAutomatically = true)
    @Query("update TrainingJob j set j.heartbeatAt = :now where j.id = :id")
    int heartbeat(@Param("id") UUID id, @Param("now") Instant now);

    @Query("select j.cancelRequested from TrainingJob j where j.id = :id")
    boolean isCancelRequested(@Param("id") UUID id);

    @Modifying(clearAutomatically = true)
    @Query("update TrainingJob j set j.cancelRequested = true where j.id = :id"
            + " and j.status in (io.mambarec.storage.TrainingJobStatus.QUEUED, io.mambarec.storage.TrainingJobStatus.RUNNING)")
    int requestCancel(@Param("id") UUID id);

    /** A queued job that has not started yet is cancelled at once. */
    @Modifying(clearAutomatically = true)
    @Query("update TrainingJob j set j.status = io.mambarec.storage.TrainingJobStatus.CANCELLED, j.finishedAt = :now"
            + " where j.id = :id and j.status = io.mambarec.storage.TrainingJobStatus.QUEUED")
    int cancelQueued(@Param("id") UUID id, @Param("now") Instant now);

    /** The job's outcome; only a job not yet finished finishes (a second finish is a no-op). */
    @Modifying(clearAutomatically = true)
    @Query("update TrainingJob j set j.status = :status, j.error = :error, j.modelVersion = :modelVersion,"
            + " j.candidateRecall20 = :candidate, j.activeRecall20 = :active, j.finishedAt = :now, j.heartbeatAt = :now"
            + " where j.id = :id and j.status in (io.mambarec.storage.TrainingJobStatus.QUEUED,"
            + " io.mambarec.storage.TrainingJobStatus.RUNNING)")
    int finish(@Param("id") UUID id, @Param("status") TrainingJobStatus status, @Param("error") String error,
            @Param("modelVersion") Long modelVersion, @Param("candidate") Double candidate,
            @Param("active") Double active, @Param("now") Instant now);

    /** Jobs whose process died: RUNNING ones and QUEUED ones created before {@code queuedBefore} become FAILED. */
    @Modifying(clearAutomatically = true)
    @Query("update TrainingJob j set j.status = io.mambarec.storage.TrainingJobStatus.FAILED, j.error = :error,"
            + " j.finishedAt = :now where j.status = io.mambarec.storage.TrainingJobStatus.RUNNING"
            + " or (j.status = io.mambarec.storage.TrainingJobStatus.QUEUED and j.createdAt < :queuedBefore)")
    int failAbandoned(@Param("error") String error, @Param("queuedBefore") Instant queuedBefore,
            @Param("now") Instant now);
}
