package io.mambarec.storage;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * An auto job's search as its trainer left it ({@code search_journal}, {@code search_checkpoint}):
 * the journal of its decisions and every live point's latest checkpoint. As with
 * {@link CheckpointRepository}, only the attempt holding the job writes, and a row is read back only
 * when the data it was trained on matches (a checkpoint also when its SHA-256 does).
 */
@Repository
@Transactional
public class SearchCheckpointRepository {

    private static final String HELD =
            "exists (select 1 from training_job where id = ? and attempts = ?" + " and status = 'RUNNING')";

    private final JdbcTemplate jdbc;

    public SearchCheckpointRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Replaces the job's journal (JSON); false, and nothing saved, when the attempt lost the job. */
    public boolean saveJournal(JobQueue.Claim claim, String journal, String dataFingerprint) {
        return jdbc.update(
                        "insert into search_journal (job_id, attempt, journal, data_fingerprint, saved_at)"
                                + " select ?, ?, ?::jsonb, ?, now() where " + HELD
                                + " on conflict (job_id) do update set attempt = excluded.attempt,"
                                + " journal = excluded.journal, data_fingerprint = excluded.data_fingerprint,"
                                + " saved_at = excluded.saved_at",
                        claim.jobId(),
                        claim.attempt(),
                        journal,
                        dataFingerprint,
                        claim.jobId(),
                        claim.attempt())
                == 1;
    }

    /** The job's journal if it was made on data with this fingerprint. */
    public Optional<String> journal(UUID jobId, String dataFingerprint) {
        return jdbc
                .queryForList(
                        "select journal::text from search_journal where job_id = ? and data_fingerprint = ?",
                        String.class,
                        jobId,
                        dataFingerprint)
                .stream()
                .findFirst();
    }

    /** Replaces a point's checkpoint; false, and nothing saved, when the attempt lost the job. */
    public boolean savePoint(JobQueue.Claim claim, int point, int epoch, byte[] state, String dataFingerprint) {
        return jdbc.update(
                        "insert into search_checkpoint (job_id, point, attempt, epoch, state, data_fingerprint,"
                                + " sha256, saved_at) select ?, ?, ?, ?, ?, ?, ?, now() where " + HELD
                                + " on conflict (job_id, point) do update set attempt = excluded.attempt,"
                                + " epoch = excluded.epoch, state = excluded.state,"
                                + " data_fingerprint = excluded.data_fingerprint, sha256 = excluded.sha256,"
                                + " saved_at = excluded.saved_at",
                        claim.jobId(),
                        point,
                        claim.attempt(),
                        epoch,
                        state,
                        dataFingerprint,
                        CheckpointRepository.sha256(state),
                        claim.jobId(),
                        claim.attempt())
                == 1;
    }

    /** A point's checkpoint if it was trained on data with this fingerprint and is intact. */
    public Optional<byte[]> point(UUID jobId, int point, String dataFingerprint) {
        return jdbc
                .query(
                        "select state, sha256 from search_checkpoint where job_id = ? and point = ?"
                                + " and data_fingerprint = ?",
                        (rs, n) -> {
                            byte[] state = rs.getBytes(1);
                            return CheckpointRepository.sha256(state).equals(rs.getString(2)) ? state : null;
                        },
                        jobId,
                        point,
                        dataFingerprint)
                .stream()
                .filter(Objects::nonNull)
                .findFirst();
    }

    /** Frees a stopped point's checkpoint; false, and nothing deleted, when the attempt lost the job. */
    public boolean deletePoint(JobQueue.Claim claim, int point) {
        jdbc.update(
                "delete from search_checkpoint where job_id = ? and point = ? and " + HELD,
                claim.jobId(),
                point,
                claim.jobId(),
                claim.attempt());
        return Boolean.TRUE.equals(
                jdbc.queryForObject("select " + HELD, Boolean.class, claim.jobId(), claim.attempt()));
    }

    /** Forgets a search made on other data than {@code dataFingerprint} (the job searches afresh). */
    public void deleteOtherData(UUID jobId, String dataFingerprint) {
        jdbc.update("delete from search_journal where job_id = ? and data_fingerprint <> ?", jobId, dataFingerprint);
        jdbc.update("delete from search_checkpoint where job_id = ? and data_fingerprint <> ?", jobId, dataFingerprint);
    }

    /** Everything of the job's search (its job ended). */
    public void delete(UUID jobId) {
        jdbc.update("delete from search_journal where job_id = ?", jobId);
        jdbc.update("delete from search_checkpoint where job_id = ?", jobId);
    }
}
