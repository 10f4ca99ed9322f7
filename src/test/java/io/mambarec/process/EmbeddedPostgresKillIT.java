package io.mambarec.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-configuration start on its embedded PostgreSQL, killed with SIGKILL (which orphans the
 * postmaster) and started again on the same data folder: the start succeeds and nothing committed
 * before the kill is lost.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class EmbeddedPostgresKillIT {

    @TempDir
    Path temp;

    @Test
    void aKilledProcessOnTheEmbeddedDatabaseStartsAgainWithItsData() throws Exception {
        Path data = temp.resolve("postgres");
        try (ServiceProcess service = ServiceProcess.start(
                "embedded",
                Map.of(
                        "mambarec.embedded-postgres.data-dir",
                        data.toString(),
                        "mambarec.retrain.on-empty-registry",
                        "false"))) {
            ProcessLifecycleIT.awaitReady(service);
            String features = "{\"features\": {\"image\": " + vector(32) + ", \"text\": " + vector(24) + "}}";
            assertThat(service.put("/items/written-before-the-kill", features).status())
                    .isEqualTo(201);
            assertThat(Files.exists(data.resolve("postmaster.pid"))).isTrue();

            service.kill();
            service.restart();
            ProcessLifecycleIT.awaitReady(service);
            assertThat(service.get("/items/written-before-the-kill/similar?k=3").status())
                    .as("the item written before the kill is still there")
                    .isEqualTo(200);
            assertThat(service.put("/items/written-before-the-kill", features).status())
                    .as("known: an update")
                    .isEqualTo(200);

            // a SIGTERM stops the service and its database: no postmaster left writing into the
            // data folder (the test's temporary folder is deleted next)
            service.stop();
            await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(data.resolve("postmaster.pid")));
        }
    }

    private static String vector(int dim) {
        StringBuilder json = new StringBuilder("[");
        for (int k = 0; k < dim; k++) {
            json.append(k == 0 ? "" : ", ").append((k % 7) / 7.0);
        }
        return json.append(']').toString();
    }
}
