package io.mambarec.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.testsupport.ScratchDatabase;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The heap a version's parameters need is a chunk, not their size: 96 MB of parameters are read
 * back in full by a JVM whose whole heap is 48 MB ({@link ChunkReadProbe}), where reading them as
 * one bytea (the storage before chunks) runs out of memory.
 */
class ModelParameterChunksHeapTest {

    static final long SIZE = 96L << 20;
    static final String HEAP = "-Xmx48m";

    static ScratchDatabase database;

    @BeforeAll
    static void migrated() throws SQLException {
        database = ScratchDatabase.migrated("chunk_heap");
    }

    @AfterAll
    static void drop() throws SQLException {
        database.drop();
    }

    @Test
    void parametersLargerThanTheHeapAreReadInChunks() throws Exception {
        long version;
        String sha256;
        try (Connection c = database.connect()) {
            JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(c, true));
            version = jdbc.queryForObject(
                    "INSERT INTO model_version (model_name, status, manifest, parameters_size, sha256, metrics,"
                            + " config, source) VALUES ('bpr', 'INACTIVE', '\\x7b7d'::bytea, ?, repeat('0', 64),"
                            + " '{}'::jsonb, '{}'::jsonb, 'BOOTSTRAP') RETURNING version",
                    Long.class,
                    SIZE);
            sha256 = new ModelParameterChunks(jdbc).write(version, new RandomBytes(SIZE, 5), SIZE);
        }

        SmallHeapProbe chunks = probe(version, "chunks");
        assertThat(chunks.exit()).as(chunks.output()).isZero();
        assertThat(chunks.output()).contains("sha256 " + sha256);

        SmallHeapProbe whole = probe(version, "bytea");
        assertThat(whole.exit()).as(whole.output()).isNotZero();
        assertThat(whole.output()).contains("OutOfMemoryError");
    }

    private static SmallHeapProbe probe(long version, String mode) throws IOException, InterruptedException {
        return SmallHeapProbe.run(
                HEAP, ChunkReadProbe.class, database, Long.toString(version), Long.toString(SIZE), mode);
    }
}
