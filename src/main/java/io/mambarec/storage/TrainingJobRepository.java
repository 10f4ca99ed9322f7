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

/** Retraining jobs as the API sees them; the trainers' side of the queue is {@link JobQueue}. Every state change is one conditional UPDATE. */
@Transactional
public interface TrainingJobRepository extends JpaRepository<TrainingJob, UUID> {

    List<TrainingJob> findByStatusIn(Collection<TrainingJobStatus> statuses);

    @Query("select j.cancelRequested from TrainingJob j where j.id = :id")
    boolean isCancelRequested(@Param("id") UUID id);

    @Modifying(clearAutomatically = true)
    @Query(
            "update TrainingJob j set j.cancelRequested = true where j.id = :id"
                    + " and j.status in (io.mambarec.storage.TrainingJobStatus.QUEUED, io.mambarec.storage.TrainingJobStatus.RUNNING)")
    int requestCancel(@Param("id") UUID id);

    /** A queued job that has not started yet is cancelled at once. */
    @Modifying(clearAutomatically = true)
    @Query("update TrainingJob j set j.status = io.mambarec.storage.TrainingJobStatus.CANCELLED, j.finishedAt = :now"
            + " where j.id = :id and j.status = io.mambarec.storage.TrainingJobStatus.QUEUED")
    int cancelQueued(@Param("id") UUID id, @Param("now") Instant now);
}
