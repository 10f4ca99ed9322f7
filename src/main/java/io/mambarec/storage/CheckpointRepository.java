package io.mambarec.storage;

import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The latest training checkpoint of each job ({@code training_checkpoint}, its state in
 * {@code training_checkpoint_chunk}). A checkpoint is written only while its attempt still holds
 * the job, streamed into chunks in one transaction (a checkpoint half written never replaces the
 * last complete one), and read back only when its SHA-256 and the data it was trained on match.
 */
@Repository
@Transactional
public class CheckpointRepository {

    /** A stored checkpoint: the epochs it completed and its decoded state. */
    public record Stored<T>(int epoch, T state) {}

    static final String HELD =
            "exists (select 1 from training_job where id = ? and attempts = ? and status = 'RUNNING')";

    private final JdbcTemplate jdbc;
    private final CheckpointChunks chunks;

    @Autowired
    public CheckpointRepository(JdbcTemplate jdbc) {
        this(jdbc, ChunkTable.CHUNK_BYTES);
    }

    /** With chunks of {@code chunkBytes} (tests). */
    CheckpointRepository(JdbcTemplate jdbc, int chunkBytes) {
        this.jdbc = jdbc;
        this.chunks = new CheckpointChunks(
                jdbc, chunkBytes, "training_checkpoint_chunk", "training checkpoint of job", "job_id");
    }

    /**
     * Replaces the job's checkpoint by what {@code state} writes; false, and nothing saved, when the
     * attempt lost the job (before or while writing). The row, then the chunks, then the row's size
     * and digest, in one transaction: if writing fails or the process dies half way, the previous
     * checkpoint stays whole.
     */
    public boolean save(JobQueue.Claim claim, int epoch, CheckpointChunks.StateWriter state, String dataFingerprint) {
        return chunks.save(
                "insert into training_checkpoint (job_id, attempt, epoch, state_size, data_fingerprint, sha256,"
                        + " saved_at) select ?, ?, ?, 0, ?, ?, now() where " + HELD
                        + " on conflict (job_id) do update set attempt = excluded.attempt, epoch = excluded.epoch,"
                        + " data_fingerprint = excluded.data_fingerprint, saved_at = excluded.saved_at",
                new Object[] {
                    claim.jobId(),
                    claim.attempt(),
                    epoch,
                    dataFingerprint,
                    CheckpointChunks.PENDING,
                    claim.jobId(),
                    claim.attempt()
                },
                "update training_checkpoint set state_size = ?, sha256 = ? where job_id = ? and " + HELD,
                new Object[] {claim.jobId(), claim.jobId(), claim.attempt()},
                state,
                claim.jobId());
    }

    /**
     * The job's checkpoint, decoded by {@code reader}, if it was trained on data with this
     * fingerprint and is intact; empty otherwise (the job then starts over).
     */
    @Transactional(isolation = Isolation.REPEATABLE_READ, readOnly = true)
    public <T> Optional<Stored<T>> latest(UUID jobId, String dataFingerprint, CheckpointChunks.StateReader<T> reader) {
        return jdbc
                .query(
                        "select epoch, state_size, sha256 from training_checkpoint where job_id = ?"
                                + " and data_fingerprint = ?",
                        (rs, n) -> new Row(rs.getInt(1), rs.getLong(2), rs.getString(3)),
                        jobId,
                        dataFingerprint)
                .stream()
                .findFirst()
                .flatMap(row -> chunks.read(row.size(), row.sha256(), reader, jobId)
                        .map(state -> new Stored<>(row.epoch(), state)));
    }

    /** Chunks of the job's checkpoint (tests, diagnostics). */
    public int chunks(UUID jobId) {
        return chunks.count(jobId);
    }

    public void delete(UUID jobId) {
        jdbc.update("delete from training_checkpoint where job_id = ?", jobId);
    }

    private record Row(int epoch, long size, String sha256) {}
}
