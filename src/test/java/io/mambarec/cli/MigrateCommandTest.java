package io.mambarec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mambarec.testsupport.PostgresTestDatabase;
import io.mambarec.testsupport.ScratchDatabase;
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

    static ScratchDatabase database;
    static String appRole;

    @BeforeAll
    static void freshDatabaseAndAppRole() throws SQLException {
        database = ScratchDatabase.create("migrate");
        appRole = database.name() + "_app";
        database.admin("DROP ROLE IF EXISTS " + appRole, "CREATE ROLE " + appRole + " LOGIN");
    }

    @AfterAll
    static void dropThem() throws SQLException {
        database.drop();
        database.admin("DROP ROLE IF EXISTS " + appRole);
    }

    @Test
    void migratesWithTheDdlUserAndGrantsTheAppUserRowsOnly() throws SQLException {
        StringWriter out = new StringWriter();
        CommandLine cli = MambaRecCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute(
                "migrate", "--url", database.url(), "--user", PostgresTestDatabase.username(), "--grant-to", appRole);
        assertThat(code).isZero();

        try (Connection app = DriverManager.getConnection(database.url(), appRole, "");
                Statement s = app.createStatement()) {
            s.execute("INSERT INTO modality (name, dim, slot) VALUES ('image', 4, 0)");
            s.execute("INSERT INTO item (external_id) VALUES ('i1')");
            s.execute("UPDATE item SET external_id = 'i2' WHERE external_id = 'i1'");
            try (var rs = s.executeQuery("SELECT count(*) FROM item")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            s.execute("DELETE FROM item");
            assertThatThrownBy(() -> s.execute("CREATE TABLE intruder (id int)"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> s.execute("ALTER TABLE item ADD COLUMN x int"))
                    .hasMessageContaining("owner");
            assertThatThrownBy(() -> s.execute("DROP TABLE interaction")).hasMessageContaining("owner");
        }
        // a second run is a no-op
        assertThat(MambaRecCommand.commandLine()
                        .execute(
                                "migrate",
                                "--url",
                                database.url(),
                                "--user",
                                PostgresTestDatabase.username(),
                                "--grant-to",
                                appRole))
                .isZero();
    }

    @Test
    void refusesARoleNameThatIsNotAPlainIdentifier() {
        assertThat(MambaRecCommand.commandLine()
                        .execute(
                                "migrate",
                                "--url",
                                database.url(),
                                "--user",
                                PostgresTestDatabase.username(),
                                "--grant-to",
                                "x; DROP TABLE item"))
                .isEqualTo(MambaRecCommand.EXIT_BAD_INPUT);
    }
}
