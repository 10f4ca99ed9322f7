package io.mambarec.storage;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * An auto job's search as its trainer left it ({@code search_journal}, {@code search_checkpoint} with
 * its {@code search_checkpoint_chunk}):
 * the journal of its decisions and every live point's latest checkpoint. As with
 * {@link CheckpointRepository}, only the attempt holding the job writes, and a row is read back only
 * when the data it was trained on matches (a checkpoint also when its SHA-256 does).
 */
@Repository
@Transactional
public class SearchCheckpointRepository {

    private static final String HELD = CheckpointRepository.HELD;

    private final JdbcTemplate jdbc;
    private final CheckpointChunks chunks;

    @Autowired
    public SearchCheckpointRepository(JdbcTemplate jdbc) {
        this(jdbc, ChunkTable.CHUNK_BYTES);
    }

    /** With chunks of {@code chunkBytes} (tests). */
    SearchCheckpointRepository(JdbcTemplate jdbc, int chunkBytes) {
        this.jdbc = jdbc;
        this.chunks = new CheckpointChunks(
                jdbc, chunkBytes, "search_checkpoint_chunk", "search checkpoint of job/point", "job_id", "point");
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

    /**
     * Replaces a point's checkpoint by what {@code state} writes, as {@link CheckpointRepository#save}:
     * in one transaction, so a checkpoint half written never replaces the last complete one; false,
     * and nothing saved, when the attempt lost the job.
     */
    public boolean savePoint(
            JobQueue.Claim claim, int point, int epoch, CheckpointChunks.StateWriter state, String dataFingerprint) {
        return chunks.save(
                "insert into search_checkpoint (job_id, point, attempt, epoch, state_size, data_fingerprint,"
                        + " sha256, saved_at) select ?, ?, ?, ?, 0, ?, ?, now() where " + HELD
                        + " on conflict (job_id, point) do update set attempt = excluded.attempt,"
                        + " epoch = excluded.epoch, data_fingerprint = excluded.data_fingerprint,"
                        + " saved_at = excluded.saved_at",
                new Object[] {
                    claim.jobId(),
                    point,
                    claim.attempt(),
                    epoch,
                    dataFingerprint,
                    CheckpointChunks.PENDING,
                    claim.jobId(),
                    claim.attempt()
                },
                "update search_checkpoint set state_size = ?, sha256 = ? where job_id = ? and point = ? and " + HELD,
                new Object[] {claim.jobId(), point, claim.jobId(), claim.attempt()},
                state,
                claim.jobId(),
                point);
    }

    /** A point's checkpoint, decoded by {@code reader}, if it was trained on data with this fingerprint and is intact. */
    @Transactional(isolation = Isolation.REPEATABLE_READ, readOnly = true)
    public <T> Optional<T> point(
            UUID jobId, int point, String dataFingerprint, CheckpointChunks.StateReader<T> reader) {
        return jdbc
                .query(
                        "select state_size, sha256 from search_checkpoint where job_id = ? and point = ?"
                                + " and data_fingerprint = ?",
                        (rs, n) -> Map.entry(rs.getLong(1), rs.getString(2)),
                        jobId,
                        point,
                        dataFingerprint)
                .stream()
                .findFirst()
                .flatMap(row -> chunks.read(row.getKey(), row.getValue(), reader, jobId, point));
    }

    /** Chunks of a point's checkpoint (tests, diagnostics). */
    public int chunks(UUID jobId, int point) {
        return chunks.count(jobId, point);
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
