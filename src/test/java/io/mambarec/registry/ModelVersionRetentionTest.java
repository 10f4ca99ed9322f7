package io.mambarec.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.cli.MambaRecCommand;
import io.mambarec.testsupport.PostgresTestDatabase;
import io.mambarec.testsupport.ScratchDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Retention on a database of its own (migrated with the migrate command): the active version and
 * the newest N stay, and the parameter chunks of the deleted ones go with them.
 */
class ModelVersionRetentionTest {

    static ScratchDatabase database;

    @BeforeAll
    static void migratedDatabase() throws SQLException {
        database = ScratchDatabase.create("retention");
        assertThat(MambaRecCommand.commandLine()
                        .execute("migrate", "--url", database.url(), "--user", PostgresTestDatabase.username()))
                .isZero();
    }

    @AfterAll
    static void drop() throws SQLException {
        database.drop();
    }

    @Test
    void keepsTheActiveVersionAndTheNewestN() throws SQLException {
        try (Connection c = database.connect()) {
            JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(c, true));
            for (int v = 1; v <= 15; v++) {
                jdbc.update(
                        "INSERT INTO model_version (model_name, status, manifest, parameters_size, sha256, metrics,"
                                + " config, source) VALUES ('mambarec', ?, ?, 2, ?, '{}'::jsonb, '{}'::jsonb, 'RETRAIN')",
                        v == 2 ? "ACTIVE" : v % 4 == 0 ? "REJECTED" : "INACTIVE",
                        new byte[] {1},
                        "0".repeat(64));
                for (int seq = 0; seq < 2; seq++) {
                    jdbc.update(
                            "INSERT INTO model_version_chunk (version, seq, bytes) VALUES (?, ?, ?)",
                            v,
                            seq,
                            new byte[] {(byte) seq});
                }
            }
            ModelVersionRetention retention = new ModelVersionRetention(jdbc, 5, Duration.ofHours(1));
            assertThat(retention.prune()).isEqualTo(9);
            assertThat(jdbc.queryForList("SELECT version FROM model_version ORDER BY version", Long.class))
                    .isEqualTo(List.of(2L, 11L, 12L, 13L, 14L, 15L));
            // a deleted version's parameter chunks go with it
            assertThat(jdbc.queryForList(
                            "SELECT DISTINCT version FROM model_version_chunk ORDER BY version", Long.class))
                    .isEqualTo(List.of(2L, 11L, 12L, 13L, 14L, 15L));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM model_version_chunk", Integer.class))
                    .isEqualTo(12);
            assertThat(retention.prune()).isZero();
            assertThat(new ModelVersionRetention(jdbc, 0, Duration.ofHours(1)).prune())
                    .isZero();
            assertThat(new ModelVersionRetention(jdbc, 1, Duration.ofHours(1)).prune())
                    .isEqualTo(4);
            assertThat(jdbc.queryForList("SELECT version FROM model_version ORDER BY version", Long.class))
                    .isEqualTo(List.of(2L, 15L));
        }
    }
}
