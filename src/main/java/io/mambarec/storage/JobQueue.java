package io.mambarec.storage;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The retraining queue in {@code training_job}, for trainer processes. A trainer claims the oldest
 * claimable job with {@code FOR UPDATE SKIP LOCKED} (so two trainers never claim the same one) under
 * a lease that its heartbeat extends; a job whose trainer died becomes claimable again when its lease
 * passes. Every later write of the attempt is conditional on the job still being RUNNING under that
 * attempt number (a fencing token): a trainer that lost its lease can no longer change the job.
 * Lease times are the database's clock, so trainers' clocks do not matter.
 */
@Repository
@Transactional
public class JobQueue {

    /** A job a trainer holds: its id, which attempt this is, and its resolved request (JSON). */
    public record Claim(UUID jobId, int attempt, String request) {}

    /** The catalogue rows a job trains on (ids up to these), fixed by its first attempt. */
    public record SnapshotBounds(long itemId, long userId, long interactionId) {}

    private final JdbcTemplate jdbc;

    public JobQueue(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Ends what dead trainers left: an expired job with a cancellation request becomes CANCELLED, one
     * that already had {@code maxAttempts} attempts FAILED. Returns the statuses so ended.
     */
    public List<TrainingJobStatus> endExpired(int maxAttempts) {
        List<TrainingJobStatus> ended = new java.util.ArrayList<>();
        ended.addAll(jdbc.query(
                "update training_job set status = 'CANCELLED', finished_at = now(), lease_until = null"
                        + " where status = 'RUNNING' and lease_until < now() and cancel_requested returning status",
                (rs, n) -> TrainingJobStatus.CANCELLED));
        ended.addAll(jdbc.query(
                "update training_job set status = 'FAILED', finished_at = now(), lease_until = null,"
                        + " error = 'its trainer stopped ' || attempts || ' times before finishing'"
                        + " || coalesce(' (last error: ' || error || ')', '')"
                        + " where status = 'RUNNING' and lease_until < now() and attempts >= ? returning status",
                (rs, n) -> TrainingJobStatus.FAILED,
                maxAttempts));
        // what jobs that ended (here or on a trainer that died before cleaning up) no longer need
        for (String table : List.of("training_checkpoint", "search_checkpoint", "search_journal")) {
            jdbc.update("delete from " + table + " c using training_job j where j.id = c.job_id"
                    + " and j.status not in ('QUEUED', 'RUNNING')");
        }
        return ended;
    }

    /** Claims the oldest QUEUED job, or a RUNNING one whose lease passed, for {@code lease}. */
    public Optional<Claim> claim(String replica, Duration lease, int maxAttempts) {
        return jdbc
                .query(
                        "with next as (select id from training_job"
                                + " where (status = 'QUEUED' or (status = 'RUNNING' and lease_until < now()))"
                                + " and not cancel_requested and attempts < ?"
                                + " order by created_at limit 1 for update skip locked)"
                                + " update training_job j set status = 'RUNNING', replica = ?, attempts = j.attempts + 1,"
                                + " lease_until = now() + make_interval(secs => ?), heartbeat_at = now(),"
                                + " started_at = coalesce(j.started_at, now())"
                                + " from next where j.id = next.id returning j.id, j.attempts, j.request::text",
                        (rs, n) -> new Claim(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3)),
                        maxAttempts,
                        replica,
                        seconds(lease))
                .stream()
                .findFirst();
    }

    /**
     * Extends the lease of a held attempt. Empty when the attempt no longer holds the job (its lease
     * passed and another trainer claimed it, or it ended); otherwise whether a cancel was requested.
     */
    public Optional<Boolean> heartbeat(Claim claim, Duration lease) {
        return jdbc
                .query(
                        "update training_job set lease_until = now() + make_interval(secs => ?), heartbeat_at = now()"
                                + " where id = ? and attempts = ? and status = 'RUNNING' returning cancel_requested",
                        (rs, n) -> rs.getBoolean(1),
                        seconds(lease),
                        claim.jobId(),
                        claim.attempt())
                .stream()
                .findFirst();
    }

    /** Fixes the job's data on its first attempt; returns the bounds every attempt uses. */
    public SnapshotBounds snapshotBounds(Claim claim) {
        jdbc.update(
                "update training_job set snapshot_item_id = (select coalesce(max(id), 0) from item),"
                        + " snapshot_user_id = (select coalesce(max(id), 0) from app_user),"
                        + " snapshot_interaction_id = (select coalesce(max(id), 0) from interaction)"
                        + " where id = ? and snapshot_interaction_id is null",
                claim.jobId());
        return jdbc.queryForObject(
                "select snapshot_item_id, snapshot_user_id, snapshot_interaction_id"
                        + " from training_job where id = ?",
                (rs, n) -> new SnapshotBounds(rs.getLong(1), rs.getLong(2), rs.getLong(3)),
                claim.jobId());
    }

    /**
     * Records the data fingerprint and the epoch the attempt resumed from (null: from the start); for
     * an auto job, the point it resumed and that point's epoch.
     */
    public boolean started(Claim claim, String dataFingerprint, Integer resumedFromEpoch, Integer resumedPoint) {
        return jdbc.update(
                        "update training_job set data_fingerprint = ?, resumed_from_epoch = ?, resumed_point = ?"
                                + " where id = ? and attempts = ? and status = 'RUNNING'",
                        dataFingerprint,
                        resumedFromEpoch,
                        resumedPoint,
                        claim.jobId(),
                        claim.attempt())
                == 1;
    }

    /** Progress after an epoch (also a heartbeat); false when the attempt no longer holds the job. */
    public boolean progress(
            Claim claim, int epoch, double loss, double validRecall, int bestEpoch, double secondsPerEpoch) {
        return jdbc.update(
                        "update training_job set epoch = ?, last_loss = ?, valid_recall20 = ?, best_epoch = ?,"
                                + " seconds_per_epoch = ?, heartbeat_at = now() where id = ? and attempts = ? and status = 'RUNNING'",
                        epoch,
                        loss,
                        validRecall,
                        bestEpoch,
                        secondsPerEpoch,
                        claim.jobId(),
                        claim.attempt())
                == 1;
    }

    /** An auto job's search report (JSON); false when the attempt no longer holds the job. */
    public boolean searched(Claim claim, String searchJson) {
        return jdbc.update(
                        "update training_job set search = ?::jsonb where id = ? and attempts = ? and status = 'RUNNING'",
                        searchJson,
                        claim.jobId(),
                        claim.attempt())
                == 1;
    }

    /** The attempt's outcome; false when the attempt no longer holds the job (nothing written then). */
    public boolean finish(
            Claim claim,
            TrainingJobStatus status,
            String error,
            Long modelVersion,
            Double candidateRecall,
            Double activeRecall,
            Double popularRecall) {
        return jdbc.update(
                        "update training_job set status = ?, error = ?, model_version = ?, candidate_recall20 = ?,"
                                + " active_recall20 = ?, popular_recall20 = ?, finished_at = now(), heartbeat_at = now(),"
                                + " lease_until = null where id = ? and attempts = ? and status = 'RUNNING'",
                        status.name(),
                        error,
                        modelVersion,
                        candidateRecall,
                        activeRecall,
                        popularRecall,
                        claim.jobId(),
                        claim.attempt())
                == 1;
    }

    /**
     * A stop that was not the job's fault (the trainer is shutting down): the job goes back to the
     * queue, this attempt not counted, and resumes from its last checkpoint.
     */
    public boolean release(Claim claim) {
        return jdbc.update(
                        "update training_job set status = 'QUEUED', lease_until = null, attempts = attempts - 1"
                                + " where id = ? and attempts = ? and status = 'RUNNING'",
                        claim.jobId(),
                        claim.attempt())
                == 1;
    }

    /**
     * A failed attempt: back to the queue with its error, or FAILED once it had {@code maxAttempts}
     * attempts. Returns the status it now has (empty when the attempt no longer held the job).
     */
    public Optional<TrainingJobStatus> failAttempt(Claim claim, String error, int maxAttempts) {
        return jdbc
                .query(
                        "update training_job set status = case when attempts >= ? then 'FAILED' else 'QUEUED' end,"
                                + " finished_at = case when attempts >= ? then now() end, lease_until = null, error = ?"
                                + " where id = ? and attempts = ? and status = 'RUNNING' returning status",
                        (rs, n) -> TrainingJobStatus.valueOf(rs.getString(1)),
                        maxAttempts,
                        maxAttempts,
                        error,
                        claim.jobId(),
                        claim.attempt())
                .stream()
                .findFirst();
    }

    /** A RUNNING job whose trainer died, with a cancellation request: CANCELLED at once. */
    public boolean cancelExpired(UUID jobId) {
        return jdbc.update(
                        "update training_job set status = 'CANCELLED', finished_at = now(), lease_until = null"
                                + " where id = ? and status = 'RUNNING' and lease_until < now() and cancel_requested",
                        jobId)
                == 1;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}
