package io.mambarec.testsupport;

import java.io.File;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL the integration tests run on, one per test JVM.
 * <ul>
 *   <li>Where Docker is usable ({@code DOCKER_HOST} or {@code /var/run/docker.sock}): a
 *   Testcontainers PostgreSQL.</li>
 *   <li>Otherwise the local server at 127.0.0.1:5432 (user postgres, trust auth), database
 *   {@code $MAMBAREC_TEST_DB} (default {@code mambarec_test}; give each developer/CI job its
 *   own), created if missing. Its {@code public} schema is dropped once per JVM so Flyway
 *   migrates a clean database.</li>
 * </ul>
 * Tests clean what they need with {@link #truncateAll(DataSource)} (every table but Flyway's).
 */
public final class PostgresTestDatabase {

    public static final String LOCAL_HOST_PORT = "127.0.0.1:5432";
    /** Deadlock victim, lock wait timed out, serialization failure: another context's work, retried. */
    private static final List<String> LOCK_CONFLICT_STATES = List.of("40P01", "55P03", "40001");

    private static final int TRUNCATE_ATTEMPTS = 6;
    private static String url;
    private static String username;
    private static String password;

    private PostgresTestDatabase() {}

    public static synchronized String jdbcUrl() {
        start();
        return url;
    }

    public static synchronized String username() {
        start();
        return username;
    }

    public static synchronized String password() {
        start();
        return password;
    }

    /** The database name used on the local server. */
    public static String localDatabaseName() {
        String name = System.getenv("MAMBAREC_TEST_DB");
        name = name == null || name.isBlank() ? "mambarec_test" : name.trim();
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalStateException("MAMBAREC_TEST_DB must be a lower-case SQL identifier: " + name);
        }
        return name;
    }

    private static void start() {
        if (url != null) {
            return;
        }
        if (dockerUsable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            url = container.getJdbcUrl();
            username = container.getUsername();
            password = container.getPassword();
            return;
        }
        String database = localDatabaseName();
        username = "postgres";
        password = "";
        try (Connection admin =
                DriverManager.getConnection("jdbc:postgresql://" + LOCAL_HOST_PORT + "/postgres", username, password)) {
            boolean exists;
            try (PreparedStatement ps = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement s = admin.createStatement()) {
                    s.execute("CREATE DATABASE " + database);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "No PostgreSQL at " + LOCAL_HOST_PORT + " (and no Docker for Testcontainers)", e);
        }
        url = "jdbc:postgresql://" + LOCAL_HOST_PORT + "/" + database;
        try (Connection c = DriverManager.getConnection(url, username, password);
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reset the test database " + database, e);
        }
    }

    private static boolean dockerUsable() {
        String host = System.getenv("DOCKER_HOST");
        File socket = new File("/var/run/docker.sock");
        if ((host == null || host.isBlank()) && !(socket.exists() && socket.canRead() && socket.canWrite())) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Empties every application table (keeps the schema and Flyway's history), restarting sequences.
     * Other cached test contexts stay alive and their background work (a job finishing, an event
     * flush) can hold a row lock on a table the TRUNCATE reaches later: PostgreSQL then picks one
     * side of the deadlock (40P01) or the lock wait times out (55P03). Both are retried.
     */
    public static void truncateAll(DataSource dataSource) {
        SQLException last = null;
        for (int attempt = 1; attempt <= TRUNCATE_ATTEMPTS; attempt++) {
            try {
                truncateOnce(dataSource);
                return;
            } catch (SQLException e) {
                last = e;
                if (!LOCK_CONFLICT_STATES.contains(e.getSQLState())) {
                    break;
                }
                try {
                    Thread.sleep(200L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new IllegalStateException(
                "Cannot clean the test database (SQLState " + (last == null ? "?" : last.getSQLState()) + "): "
                        + (last == null ? "" : last.getMessage()),
                last);
    }

    private static void truncateOnce(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                    + " AND tablename <> 'flyway_schema_history' ORDER BY tablename")) {
                while (rs.next()) {
                    tables.add('"' + rs.getString(1) + '"');
                }
            }
            if (tables.isEmpty()) {
                return;
            }
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                s.execute("SET LOCAL lock_timeout = '10s'");
                s.execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
            // running services drop their cached seen items, as after a bulk import
            s.execute("SELECT pg_notify('mambarec_interactions', '*')");
        }
    }
}
