package io.mambarec.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.testsupport.ScratchDatabase;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The heap a job checkpoint needs in storage is a chunk, not its size: a JVM whose whole heap is
 * 48 MB saves a 96 MB checkpoint (streamed from its writer) and reads it back in full
 * ({@link CheckpointChunksProbe}); reading it as one bytea (the storage before chunks) runs out of
 * memory there.
 */
class CheckpointChunksHeapTest {

    static final long SIZE = 96L << 20;
    static final String HEAP = "-Xmx48m";

    static ScratchDatabase database;

    @BeforeAll
    static void migrated() throws SQLException {
        database = ScratchDatabase.migrated("checkpoint_heap");
    }

    @AfterAll
    static void drop() throws SQLException {
        database.drop();
    }

    @Test
    void aCheckpointLargerThanTheHeapIsWrittenAndReadInChunks() throws Exception {
        UUID job = UUID.randomUUID();
        try (Connection c = database.connect()) {
            new JdbcTemplate(new SingleConnectionDataSource(c, true))
                    .update(
                            "INSERT INTO training_job (id, status, model_name, request, max_epochs, attempts)"
                                    + " VALUES (?, 'RUNNING', 'mambarec', '{}'::jsonb, 1, 1)",
                            job);
        }

        SmallHeapProbe chunks = probe(job, "chunks");
        assertThat(chunks.exit()).as(chunks.output()).isZero();
        assertThat(chunks.output()).contains("saved true");
        String written = chunks.output().replaceAll("(?s).*written ([0-9a-f]{64}).*", "$1");
        assertThat(chunks.output()).contains("read " + written);
        try (Connection c = database.connect()) {
            assertThat(new JdbcTemplate(new SingleConnectionDataSource(c, true))
                            .queryForObject(
                                    "SELECT count(*) FROM training_checkpoint_chunk WHERE job_id = ?",
                                    Integer.class,
                                    job))
                    .isEqualTo((int) (SIZE / ChunkTable.CHUNK_BYTES));
        }

        SmallHeapProbe whole = probe(job, "bytea");
        assertThat(whole.exit()).as(whole.output()).isNotZero();
        assertThat(whole.output()).contains("OutOfMemoryError");
    }

    private static SmallHeapProbe probe(UUID job, String mode) throws IOException, InterruptedException {
        return SmallHeapProbe.run(
                HEAP, CheckpointChunksProbe.class, database, job.toString(), "1", Long.toString(SIZE), mode);
    }
}
