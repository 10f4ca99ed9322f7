package io.mambarec.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

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
