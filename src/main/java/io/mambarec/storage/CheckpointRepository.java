package io.mambarec.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The latest training checkpoint of each job ({@code training_checkpoint}). A checkpoint is written
 * only while its attempt still holds the job, and read back only when its SHA-256 and the data it
 * was trained on match.
 */
@Repository
@Transactional
public class CheckpointRepository {

    /** A stored checkpoint: the epochs it completed and its encoded state. */
    public record Stored(int epoch, byte[] state) {}

    private final JdbcTemplate jdbc;

    public CheckpointRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Saves (replaces) the job's checkpoint; false, and nothing saved, when the attempt lost the job. */
    public boolean save(JobQueue.Claim claim, int epoch, byte[] state, String dataFingerprint) {
        return jdbc.update(
                        "insert into training_checkpoint (job_id, attempt, epoch, state, data_fingerprint, sha256,"
                                + " saved_at) select ?, ?, ?, ?, ?, ?, now() where exists (select 1 from training_job"
                                + " where id = ? and attempts = ? and status = 'RUNNING')"
                                + " on conflict (job_id) do update set attempt = excluded.attempt, epoch = excluded.epoch,"
                                + " state = excluded.state, data_fingerprint = excluded.data_fingerprint, sha256 = excluded.sha256,"
                                + " saved_at = excluded.saved_at",
                        claim.jobId(),
                        claim.attempt(),
                        epoch,
                        state,
                        dataFingerprint,
                        sha256(state),
                        claim.jobId(),
                        claim.attempt())
                == 1;
    }

    /**
     * The job's checkpoint if it was trained on data with this fingerprint and is intact; empty
     * otherwise (the job then starts over).
     */
    public Optional<Stored> latest(UUID jobId, String dataFingerprint) {
        return jdbc
                .query(
                        "select epoch, state, sha256 from training_checkpoint where job_id = ? and data_fingerprint = ?",
                        (rs, n) -> {
                            byte[] state = rs.getBytes(2);
                            return sha256(state).equals(rs.getString(3)) ? new Stored(rs.getInt(1), state) : null;
                        },
                        jobId,
                        dataFingerprint)
                .stream()
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    public void delete(UUID jobId) {
        jdbc.update("delete from training_checkpoint where job_id = ?", jobId);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
