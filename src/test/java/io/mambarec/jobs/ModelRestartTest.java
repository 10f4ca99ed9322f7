package io.mambarec.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.mambarec.MambaRecApplication;
import io.mambarec.model.ModelArtifact;
import io.mambarec.registry.ModelRegistry;
import io.mambarec.serving.ActiveModel;
import io.mambarec.serving.ServingModel;
import io.mambarec.storage.ModelVersionSummary;
import io.mambarec.storage.TrainingJob;
import io.mambarec.storage.TrainingJobRepository;
import io.mambarec.storage.TrainingJobStatus;
import io.mambarec.testsupport.PostgresTestDatabase;
import io.mambarec.testsupport.PostgresTestInitializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Restarts: each step starts a fresh application context on the same database, as a new
 * process would. The active model is reloaded from the registry with the same embeddings, a
 * job that a killed process left RUNNING is marked FAILED, and with an empty registry the
 * offline-trained model folder of {@code mambarec.bootstrap.model} is registered and served.
 */
class ModelRestartTest {

    @TempDir
    Path temp;

    @Test
    void restartReloadsTheActiveModelAndAnEmptyRegistryTakesTheOfflineModel() throws Exception {
        Path folder = temp.resolve("offline-model");
        UUID abandoned = UUID.randomUUID();
        ServingModel trained;
        try (ConfigurableApplicationContext first = start()) {
            DataSource dataSource = first.getBean(DataSource.class);
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            PostgresTestDatabase.truncateAll(dataSource);
            TestCatalogue.insert(jdbc, 5, 12, 40, 6, 11);
            TrainingJob job = first.getBean(RetrainService.class).submit(RetrainRequest.parse(
                    Map.of("model", "lightgcn", "maxEpochs", 3)));
            awaitSuccess(first.getBean(TrainingJobRepository.class), job.getId());
            trained = first.getBean(ActiveModel.class).current().orElseThrow();

            // what the train command writes: model.json + model.params + result.json
            jdbc.queryForObject("select manifest, parameters from model_version where version = ?",
                    (rs, n) -> ModelArtifact.of(rs.getBytes(1), rs.getBytes(2)), trained.version()).writeTo(folder);
            Files.writeString(folder.resolve("result.json"), "{\"model\": \"lightgcn\", \"dataset\": \"offline\","
                    + " \"seed\": 1, \"epochs\": 3, \"bestEpoch\": 3, \"valid\": {\"Recall@20\": 0.25},"
                    + " \"test\": {\"Recall@20\": 0.2, \"NDCG@20\": 0.1}}");

            // a job whose process is killed mid-training stays RUNNING in its row
            jdbc.update("insert into training_job (id, status, model_name, request, max_epochs, epoch, owner,"
                    + " started_at, heartbeat_at) values (?, 'RUNNING', 'lightgcn', '{}'::jsonb, 10, 4, 'dead-replica',"
                    + " now(), now())", abandoned);
        }

        try (ConfigurableApplicationContext second = start()) {
            ServingModel reloaded = second.getBean(ActiveModel.class).current().orElseThrow();
            assertThat(reloaded.version()).isEqualTo(trained.version());
            assertThat(reloaded.userIds()).isEqualTo(trained.userIds());
            assertThat(reloaded.itemIds()).isEqualTo(trained.itemIds());
            assertClose(reloaded.embeddings().users(), trained.embeddings().users());
            assertClose(reloaded.embeddings().items(), trained.embeddings().items());

            TrainingJob job = second.getBean(TrainingJobRepository.class).findById(abandoned).orElseThrow();
            assertThat(job.getStatus()).isEqualTo(TrainingJobStatus.FAILED);
            assertThat(job.getError()).isEqualTo(RetrainService.ABANDONED);
            assertThat(job.getFinishedAt()).isNotNull();

            JdbcTemplate jdbc = new JdbcTemplate(second.getBean(DataSource.class));
            jdbc.update("delete from model_version");
            jdbc.update("delete from training_job");
        }

        try (ConfigurableApplicationContext third = start("mambarec.bootstrap.model=" + folder)) {
            ModelRegistry registry = third.getBean(ModelRegistry.class);
            List<ModelVersionSummary> versions = registry.list();
            assertThat(versions).hasSize(1);
            ModelVersionSummary version = versions.get(0);
            assertThat(version.source().name()).isEqualTo("BOOTSTRAP");
            assertThat(version.status().name()).isEqualTo("ACTIVE");
            assertThat(registry.metricsOf(version).testRecall20()).isEqualTo(0.2);
            assertThat(registry.configOf(version)).containsEntry("dataset", "offline").containsEntry("epochs", 3);
            ServingModel served = third.getBean(ActiveModel.class).current().orElseThrow();
            assertThat(served.version()).isEqualTo(version.version());
            assertThat(served.testMetrics()).containsEntry("Recall@20", 0.2);
            assertClose(served.embeddings().items(), trained.embeddings().items());
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(MambaRecApplication.class)
                .initializers(new PostgresTestInitializer())
                .properties("server.port=0", "mambarec.retrain.on-empty-registry=false")
                .properties(properties)
                .run();
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int k = 0; k < expected.length; k++) {
            assertThat(actual[k]).isCloseTo(expected[k], offset(1e-5f));
        }
    }

    private static void awaitSuccess(TrainingJobRepository jobs, UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!jobs.findById(id).orElseThrow().getStatus().isFinal()) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(jobs.findById(id).orElseThrow().getStatus()).isEqualTo(TrainingJobStatus.SUCCEEDED);
    }
}
