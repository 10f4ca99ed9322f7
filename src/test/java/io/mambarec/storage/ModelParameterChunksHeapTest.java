package io.mambarec.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.testsupport.PostgresTestDatabase;
import io.mambarec.testsupport.ScratchDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
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
        database = ScratchDatabase.create("chunk_heap");
        Flyway.configure()
                .dataSource(database.url(), PostgresTestDatabase.username(), PostgresTestDatabase.password())
                .locations("classpath:db/migration")
                .load()
                .migrate();
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

        Probe chunks = probe(version, "chunks");
        assertThat(chunks.exit()).as(chunks.output()).isZero();
        assertThat(chunks.output()).contains("sha256 " + sha256);

        Probe whole = probe(version, "bytea");
        assertThat(whole.exit()).as(whole.output()).isNotZero();
        assertThat(whole.output()).contains("OutOfMemoryError");
    }

    record Probe(int exit, String output) {}

    private static Probe probe(long version, String mode) throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        HEAP,
                        "-cp",
                        classpath,
                        ChunkReadProbe.class.getName(),
                        database.url(),
                        PostgresTestDatabase.username(),
                        PostgresTestDatabase.password() == null ? "" : PostgresTestDatabase.password(),
                        Long.toString(version),
                        Long.toString(SIZE),
                        mode))
                .redirectErrorStream(true)
                .start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Probe(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** {@code size} pseudo-random bytes, generated as they are read. */
    private static final class RandomBytes extends InputStream {

        private final Random random;
        private final byte[] block = new byte[8192];
        private long left;
        private int pos = block.length;

        RandomBytes(long size, long seed) {
            this.left = size;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            if (pos == block.length) {
                random.nextBytes(block);
                pos = 0;
            }
            int n = (int) Math.min(Math.min(len, block.length - pos), left);
            System.arraycopy(block, pos, b, off, n);
            pos += n;
            left -= n;
            return n;
        }
    }
}
