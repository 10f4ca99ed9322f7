package io.mambarec.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.testsupport.ScratchDatabase;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * V110 on a database of its own: job and search checkpoints stored as one bytea each (the schema
 * before it) are split into chunks, byte for byte (sizes at and around the chunk boundary, and an
 * empty state), the old columns are dropped, and every checkpoint reads back through the
 * repositories with its stored SHA-256.
 */
class CheckpointChunkMigrationTest {

    private static final String DATA = "d".repeat(64);
    private static final int CHUNK = ChunkTable.CHUNK_BYTES;

    static ScratchDatabase database;

    @BeforeAll
    static void scratchDatabase() throws SQLException {
        database = ScratchDatabase.create("checkpoint_migration");
    }

    @AfterAll
    static void drop() throws SQLException {
        database.drop();
    }

    @Test
    void storedCheckpointsMoveIntoChunksWithoutLosingAByte() throws SQLException {
        database.migrate(database.versionBefore("110")); // the schema before the chunks
        byte[][] states = {random(2 * CHUNK + 811_000, 1), random(1000, 2), random(CHUNK, 3), new byte[0]};
        byte[][] points = {random(CHUNK + 1, 4), random(CHUNK - 1, 5)};
        try (Connection c = database.connect()) {
            JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(c, true));
            UUID[] jobs = new UUID[states.length];
            for (int k = 0; k < states.length; k++) {
                jobs[k] = job(jdbc);
                jdbc.update(
                        "INSERT INTO training_checkpoint (job_id, attempt, epoch, state, data_fingerprint, sha256)"
                                + " VALUES (?, 1, ?, ?, ?, ?)",
                        jobs[k],
                        k + 1,
                        states[k],
                        DATA,
                        sha256(states[k]));
            }
            for (int p = 0; p < points.length; p++) {
                jdbc.update(
                        "INSERT INTO search_checkpoint (job_id, point, attempt, epoch, state, data_fingerprint,"
                                + " sha256) VALUES (?, ?, 1, 3, ?, ?, ?)",
                        jobs[0],
                        p + 1,
                        points[p],
                        DATA,
                        sha256(points[p]));
            }

            database.migrate(null);

            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema()"
                                    + " AND table_name IN ('training_checkpoint', 'search_checkpoint')"
                                    + " AND column_name = 'state'",
                            Integer.class))
                    .isZero();
            CheckpointRepository checkpoints = new CheckpointRepository(jdbc);
            int[] chunks = {3, 1, 1, 0};
            for (int k = 0; k < states.length; k++) {
                assertThat(checkpoints.chunks(jobs[k])).isEqualTo(chunks[k]);
                assertThat(jdbc.queryForObject(
                                "SELECT state_size FROM training_checkpoint WHERE job_id = ?", Long.class, jobs[k]))
                        .isEqualTo(states[k].length);
                CheckpointRepository.Stored<byte[]> stored = checkpoints
                        .latest(jobs[k], DATA, InputStream::readAllBytes)
                        .orElseThrow();
                assertThat(stored.epoch()).isEqualTo(k + 1);
                assertThat(stored.state()).isEqualTo(states[k]);
            }
            SearchCheckpointRepository search = new SearchCheckpointRepository(jdbc);
            for (int p = 0; p < points.length; p++) {
                byte[] expected = points[p];
                assertThat(search.chunks(jobs[0], p + 1)).isEqualTo(p == 0 ? 2 : 1);
                assertThat(search.point(jobs[0], p + 1, DATA, InputStream::readAllBytes))
                        .hasValueSatisfying(read -> assertThat(read).isEqualTo(expected));
            }
        }
    }

    private static UUID job(JdbcTemplate jdbc) {
        UUID id = UUID.randomUUID();
        jdbc.update(
                "INSERT INTO training_job (id, status, model_name, request, max_epochs, attempts)"
                        + " VALUES (?, 'RUNNING', 'mambarec', '{}'::jsonb, 10, 1)",
                id);
        return id;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(ChunkTable.sha256().digest(bytes));
    }
}
