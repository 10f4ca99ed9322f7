package io.mambarec.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * A database of its own on the test PostgreSQL server, named after {@code $MAMBAREC_TEST_DB} plus a
 * suffix, created empty and dropped by {@link #drop()}: for tests that need a schema nobody else
 * touches (migrations, grants, retention).
 */
public final class ScratchDatabase {

    private final String serverUrl;
    private final String name;

    private ScratchDatabase(String serverUrl, String name) {
        this.serverUrl = serverUrl;
        this.name = name;
    }

    public static ScratchDatabase create(String suffix) throws SQLException {
        String url = PostgresTestDatabase.jdbcUrl();
        String serverUrl = url.substring(0, url.lastIndexOf('/') + 1);
        String name = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "") + "_" + suffix;
        ScratchDatabase database = new ScratchDatabase(serverUrl, name);
        database.admin("DROP DATABASE IF EXISTS " + name, "CREATE DATABASE " + name);
        return database;
    }

    /** As {@link #create}, with every migration of {@code db/migration} applied. */
    public static ScratchDatabase migrated(String suffix) throws SQLException {
        ScratchDatabase database = create(suffix);
        database.migrate(null);
        return database;
    }

    /** Applies {@code db/migration} up to version {@code target} (null: all). */
    public void migrate(String target) {
        FluentConfiguration config = flyway();
        if (target != null) {
            config = config.target(target);
        }
        config.load().migrate();
    }

    /** The newest migration version below {@code version} (the schema before it). */
    public String versionBefore(String version) {
        MigrationVersion limit = MigrationVersion.fromVersion(version);
        return Arrays.stream(flyway().load().info().all())
                .map(MigrationInfo::getVersion)
                .filter(v -> v.compareTo(limit) < 0)
                .max(Comparable::compareTo)
                .orElseThrow()
                .getVersion();
    }

    private FluentConfiguration flyway() {
        return Flyway.configure()
                .dataSource(url(), PostgresTestDatabase.username(), PostgresTestDatabase.password())
                .locations("classpath:db/migration");
    }

    public String name() {
        return name;
    }

    public String url() {
        return serverUrl + name;
    }

    /** A connection to this database as the test server's administrator. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), PostgresTestDatabase.username(), PostgresTestDatabase.password());
    }

    /** Runs statements against the server's "postgres" database (roles, databases). */
    public void admin(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        serverUrl + "postgres", PostgresTestDatabase.username(), PostgresTestDatabase.password());
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    public void drop() throws SQLException {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
