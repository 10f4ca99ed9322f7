package io.mambarec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mambarec.testsupport.PostgresTestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code migrate} on a fresh database of the test PostgreSQL: the schema is created by the DDL
 * user, and the application user it grants to can read and write rows but create nothing.
 */
class MigrateCommandTest {

    static String database;
    static String appRole;
    static String serverUrl;

    @BeforeAll
    static void freshDatabaseAndAppRole() throws SQLException {
        String url = PostgresTestDatabase.jdbcUrl();
        serverUrl = url.substring(0, url.lastIndexOf('/') + 1);
        database = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "") + "_migrate";
        appRole = database + "_app";
        try (Connection c = admin(serverUrl + "postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database);
            s.execute("DROP ROLE IF EXISTS " + appRole);
            s.execute("CREATE DATABASE " + database);
            s.execute("CREATE ROLE " + appRole + " LOGIN");
        }
    }

    @AfterAll
    static void dropThem() throws SQLException {
        try (Connection c = admin(serverUrl + "postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            s.execute("DROP ROLE IF EXISTS " + appRole);
        }
    }

    @Test
    void migratesWithTheDdlUserAndGrantsTheAppUserRowsOnly() throws SQLException {
        StringWriter out = new StringWriter();
        CommandLine cli = MambaRecCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("migrate", "--url", serverUrl + database, "--user", PostgresTestDatabase.username(),
                "--grant-to", appRole);
        assertThat(code).isZero();

        try (Connection app = DriverManager.getConnection(serverUrl + database, appRole, "");
                Statement s = app.createStatement()) {
            s.execute("INSERT INTO modality (name, dim, slot) VALUES ('image', 4, 0)");
            s.execute("INSERT INTO item (external_id) VALUES ('i1')");
            s.execute("UPDATE item SET external_id = 'i2' WHERE external_id = 'i1'");
            try (var rs = s.executeQuery("SELECT count(*) FROM item")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            s.execute("DELETE FROM item");
            assertThatThrownBy(() -> s.execute("CREATE TABLE intruder (id int)")).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.execute("ALTER TABLE item ADD COLUMN x int")).hasMessageContaining("owner");
            assertThatThrownBy(() -> s.execute("DROP TABLE interaction")).hasMessageContaining("owner");
        }
        // a second run is a no-op
        assertThat(MambaRecCommand.commandLine().execute("migrate", "--url", serverUrl + database,
                "--user", PostgresTestDatabase.username(), "--grant-to", appRole)).isZero();
    }

    @Test
    void refusesARoleNameThatIsNotAPlainIdentifier() {
        assertThat(MambaRecCommand.commandLine().execute("migrate", "--url", serverUrl + database,
                "--user", PostgresTestDatabase.username(), "--grant-to", "x; DROP TABLE item")).isEqualTo(MambaRecCommand.EXIT_BAD_INPUT);
    }

    private static Connection admin(String url) throws SQLException {
        return DriverManager.getConnection(url, PostgresTestDatabase.username(), PostgresTestDatabase.password());
    }
}
