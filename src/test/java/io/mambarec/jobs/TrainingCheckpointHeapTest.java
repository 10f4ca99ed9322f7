package io.mambarec.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.storage.SmallHeapProbe;
import io.mambarec.testsupport.ScratchDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A job's training checkpoint larger than the Java heap is saved and resumed: 96 MB of native arrays
 * (twelve of 8 MB: model state and Adam's moments) go from native memory to PostgreSQL's chunks and
 * back into native memory in a JVM whose heap is 48 MB ({@link TrainingCheckpointHeapProbe}). Only the
 * array in transit and a chunk are on the heap; the decoded arrays' direct buffers are native memory
 * (bounded by {@code -XX:MaxDirectMemorySize}, which defaults to the heap's maximum, so the probe
 * raises it).
 */
class TrainingCheckpointHeapTest {

    static final int ARRAYS = 6;
    static final int FLOATS = 2 << 20;

    static ScratchDatabase database;

    @BeforeAll
    static void migrated() throws SQLException {
        database = ScratchDatabase.migrated("training_checkpoint_heap");
    }

    @AfterAll
    static void drop() throws SQLException {
        database.drop();
    }

    @Test
    void aCheckpointLargerThanTheHeapIsSavedAndResumed() throws Exception {
        UUID job = UUID.randomUUID();
        try (Connection c = database.connect()) {
            new JdbcTemplate(new SingleConnectionDataSource(c, true))
                    .update(
                            "INSERT INTO training_job (id, status, model_name, request, max_epochs, attempts)"
                                    + " VALUES (?, 'RUNNING', 'mambarec', '{}'::jsonb, 10, 1)",
                            job);
        }
        SmallHeapProbe probe = SmallHeapProbe.run(
                "-Xmx48m -XX:MaxDirectMemorySize=512m",
                TrainingCheckpointHeapProbe.class,
                database,
                job.toString(),
                Integer.toString(ARRAYS),
                Integer.toString(FLOATS));

        assertThat(probe.exit()).as(probe.output()).isZero();
        long stored = Long.parseLong(probe.output().replaceAll("(?s).*saved (\\d+).*", "$1"));
        assertThat(stored).as("model state, best state and moments").isGreaterThan(13L * FLOATS * 4);
        assertThat(probe.output()).contains("read " + 2 * ARRAYS + " arrays, equal true");
    }
}
