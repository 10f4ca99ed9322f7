package io.mambarec.process;

import io.mambarec.testsupport.PostgresTestDatabase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The processes of one test on the test PostgreSQL: each gets the database, the demo catalogue
 * (loaded by the first one into the emptied database) and no automatic first job; all are killed
 * at the end.
 */
final class ProcessCluster implements AutoCloseable {

    private final List<ServiceProcess> processes = new ArrayList<>();

    /** Empties the test database (keeping its schema) so the first process loads the demo catalogue. */
    static ProcessCluster onEmptyDatabase() {
        PostgresTestDatabase.truncateAll(dataSource());
        return new ProcessCluster();
    }

    static DriverManagerDataSource dataSource() {
        return new DriverManagerDataSource(
                PostgresTestDatabase.jdbcUrl(), PostgresTestDatabase.username(), PostgresTestDatabase.password());
    }

    ServiceProcess start(String name, String role, String... extra) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", PostgresTestDatabase.jdbcUrl());
        properties.put("spring.datasource.username", PostgresTestDatabase.username());
        properties.put("spring.datasource.password", PostgresTestDatabase.password());
        properties.put("spring.datasource.hikari.maximum-pool-size", "4");
        properties.put("mambarec.role", role);
        properties.put("mambarec.bootstrap.demo", "true");
        properties.put("mambarec.retrain.on-empty-registry", "false");
        properties.put("mambarec.jobs.lease", "4s");
        for (String property : extra) {
            int eq = property.indexOf('=');
            properties.put(property.substring(0, eq), property.substring(eq + 1));
        }
        ServiceProcess process = ServiceProcess.start(name, properties);
        processes.add(process);
        return process;
    }

    @Override
    public void close() throws InterruptedException {
        for (ServiceProcess process : processes) {
            process.close();
        }
    }
}
