package io.mambarec;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The zero-configuration default: no spring.datasource.url, so the service starts its own real
 * PostgreSQL with data under the configured folder, migrates it, and keeps the data across restarts.
 */
class EmbeddedPostgresStartTest {

    @TempDir
    Path dataDir;

    @Test
    void startsOnAnEmbeddedPostgresAndKeepsItsDataAcrossRestarts() {
        try (ConfigurableApplicationContext context = start()) {
            assertThat(context.getBean(EmbeddedPostgres.class).getPort()).isPositive();
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("SELECT current_database()", String.class))
                    .isEqualTo("mambarec");
            jdbc.update("INSERT INTO modality (name, dim, slot) VALUES ('image', 4, 0)");
        }
        assertThat(Files.exists(dataDir.resolve("postgres").resolve("PG_VERSION")))
                .isTrue();
        try (ConfigurableApplicationContext context = start()) {
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("SELECT dim FROM modality WHERE name = 'image'", Integer.class))
                    .isEqualTo(4);
        }
    }

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(MambaRecApplication.class)
                .run(
                        "--server.port=0",
                        "--mambarec.embedded-postgres.data-dir=" + dataDir.resolve("postgres"),
                        "--mambarec.bootstrap.demo=false",
                        "--spring.datasource.url=");
    }
}
