package io.mambarec.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.data.SyntheticData;
import io.mambarec.model.Embeddings;
import io.mambarec.model.ModelArtifact;
import io.mambarec.model.ModelParameters;
import io.mambarec.runtime.DjlEnvironment;
import io.mambarec.storage.ModelParameterChunks;
import io.mambarec.testsupport.ScratchDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * V100 on a database of its own: versions stored with their parameters in one bytea (the schema
 * before it) are split into chunks, the old column is dropped, and a stored model still loads,
 * passes its checksum and serves the same embeddings.
 */
class ModelVersionChunkMigrationTest {

    static ScratchDatabase database;

    @BeforeAll
    static void scratchDatabase() throws SQLException {
        database = ScratchDatabase.create("chunk_migration");
    }

    @AfterAll
    static void drop() throws SQLException {
        database.drop();
    }

    @Test
    void storedVersionsMoveIntoChunksAndStillServe() throws SQLException, IOException {
        DjlEnvironment.configureOffline();
        database.migrate(database.versionBefore("100")); // the schema before the chunks
        ModelArtifact model = ModelVersionChunksTest.bpr(SyntheticData.dataset(3), 64, 5);
        byte[] params = model.parameters().readAllBytes();
        byte[] large = new byte[9_000_000]; // three chunks, the last one partial
        new Random(11).nextBytes(large);

        try (Connection c = database.connect()) {
            JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(c, true));
            long served = insertOld(jdbc, model.manifestJson(), params, model.sha256());
            long big = insertOld(jdbc, model.manifestJson(), large, sha256(large));

            database.migrate(null);

            assertThat(jdbc.queryForObject(
                            "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema()"
                                    + " AND table_name = 'model_version' AND column_name = 'parameters'",
                            Integer.class))
                    .isZero();
            ModelParameterChunks chunks = new ModelParameterChunks(jdbc);
            assertThat(chunks.count(served)).isEqualTo(1);
            assertThat(chunks.count(big)).isEqualTo(3);
            assertThat(size(jdbc, big)).isEqualTo(large.length);
            try (InputStream in = chunks.open(big, large.length)) {
                assertThat(in.readAllBytes()).isEqualTo(large);
            }

            long size = size(jdbc, served);
            assertThat(size).isEqualTo(params.length);
            Map<String, Object> row =
                    jdbc.queryForMap("SELECT manifest, sha256 FROM model_version WHERE version = ?", served);
            ModelArtifact stored = ModelArtifact.of(
                    (byte[]) row.get("manifest"), ModelParameters.streamed(size, () -> chunks.open(served, size)));
            Embeddings loaded = ModelRegistry.verifiedEmbeddingsOf(served, stored, (String) row.get("sha256"));
            Embeddings expected = ModelRegistry.embeddingsOf(model);
            assertThat(loaded.users()).isEqualTo(expected.users());
            assertThat(loaded.items()).isEqualTo(expected.items());
        }
    }

    private static long insertOld(JdbcTemplate jdbc, byte[] manifest, byte[] parameters, String sha256) {
        Long version = jdbc.queryForObject(
                "INSERT INTO model_version (model_name, status, manifest, parameters, sha256, metrics, config, source)"
                        + " VALUES ('bpr', 'INACTIVE', ?, ?, ?, '{}'::jsonb, '{}'::jsonb, 'BOOTSTRAP') RETURNING version",
                Long.class,
                manifest,
                parameters,
                sha256);
        return version;
    }

    private static long size(JdbcTemplate jdbc, long version) {
        return jdbc.queryForObject("SELECT parameters_size FROM model_version WHERE version = ?", Long.class, version);
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(ModelArtifact.newSha256().digest(bytes));
    }
}
