package io.mambarec.cli;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code migrate}: applies the Flyway migrations with a DDL user, then (with {@code --grant-to})
 * gives the application user row access and nothing more: SELECT/INSERT/UPDATE/DELETE on the
 * tables, the sequences, the same on tables later migrations create, and no CREATE on the schema.
 * The database comes from {@code SPRING_DATASOURCE_URL}, {@code _USERNAME}, {@code _PASSWORD}
 * (the password is never an argument). Kubernetes runs it as the chart's migration Job.
 */
@Command(
        name = "migrate",
        mixinStandardHelpOptions = true,
        description = "Apply the database migrations (Flyway) and grant the application user row access.")
final class MigrateCommand implements Callable<Integer> {

    private static final Pattern ROLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    @Option(
            names = "--url",
            defaultValue = "${env:SPRING_DATASOURCE_URL}",
            description = "JDBC URL (default: $SPRING_DATASOURCE_URL)")
    String url;

    @Option(
            names = "--user",
            defaultValue = "${env:SPRING_DATASOURCE_USERNAME}",
            description = "the DDL user (default: $SPRING_DATASOURCE_USERNAME)")
    String user;

    @Option(names = "--grant-to", description = "the application user to grant row access to")
    String grantTo;

    @Override
    public Integer call() throws SQLException {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("no database: set SPRING_DATASOURCE_URL or --url");
        }
        if (grantTo != null && !ROLE.matcher(grantTo).matches()) {
            throw new IllegalArgumentException("--grant-to must be a plain role name, not '" + grantTo + "'");
        }
        String password = System.getenv("SPRING_DATASOURCE_PASSWORD");
        MigrateResult result = Flyway.configure()
                .dataSource(url, user, password)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        System.out.println("migrations applied: " + result.migrationsExecuted + "; schema version "
                + (result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion));
        if (grantTo != null) {
            try (Connection connection = DriverManager.getConnection(url, user, password);
                    Statement statement = connection.createStatement()) {
                String schema = connection.getSchema();
                for (String sql : grants(quote(schema), quote(grantTo))) {
                    statement.execute(sql);
                }
            }
            System.out.println("granted row access (no DDL) to " + grantTo);
        }
        return 0;
    }

    static List<String> grants(String schema, String role) {
        return List.of(
                "REVOKE CREATE ON SCHEMA " + schema + " FROM PUBLIC",
                "REVOKE CREATE ON SCHEMA " + schema + " FROM " + role,
                "GRANT USAGE ON SCHEMA " + schema + " TO " + role,
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema + " TO " + role,
                "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA " + schema + " TO " + role,
                "ALTER DEFAULT PRIVILEGES IN SCHEMA " + schema + " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "
                        + role,
                "ALTER DEFAULT PRIVILEGES IN SCHEMA " + schema + " GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO "
                        + role);
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
