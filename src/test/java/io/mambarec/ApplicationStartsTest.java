package io.mambarec;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.testsupport.PostgresSpringBootTest;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** The service starts on the test PostgreSQL with every migration applied. */
@PostgresSpringBootTest
class ApplicationStartsTest {

    @Autowired
    DataSource dataSource;

    @LocalServerPort
    int port;

    @Test
    void startsWithTheSchemaMigrated() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success", Integer.class))
                .isGreaterThanOrEqualTo(2);
        assertThat(jdbc.queryForList(
                        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()", String.class))
                .contains(
                        "modality", "item", "item_feature", "app_user", "interaction", "model_version", "training_job");
        assertThat(port).isPositive();
    }
}
