package io.mambarec.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Several replicas and restarts: application contexts on the same database, as separate
 * processes would be. Two replicas run one job at a time between them, one cancels the other's
 * job, and a version activated on one is served by the other. After a restart the active
 * model is reloaded from the registry with the same embeddings and a job that a killed
 * process left RUNNING is marked FAILED; with an empty registry the offline-trained model
 * folder of {@code mambarec.bootstrap.model} is registered and served.
 */
class ReplicasAndRestartTest {

    @TempDir
    Path temp;

    @Test
    void replicasShareOneJobAndTheActiveVersionRestartsReloadItAndAnEmptyRegistryTakesTheOfflineModel() throws Exception {
        Path folder = temp.resolve("offline-model");
        UUID abandoned = UUID.randomUUID();
        ServingModel trained;
        try (ConfigurableApplicationContext first = start("mambarec.replica-id=replica-a")) {
            DataSource dataSource = first.getBean(DataSource.class);
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            PostgresTestDatabase.truncateAll(dataSource);
            TestCatalogue.insert(jdbc, 5, 12, 40, 6, 11);
            TrainingJobRepository jobs = first.getBean(TrainingJobRepository.class);
            try (ConfigurableApplicationContext second = start("mambarec.replica-id=replica-b")) {
                RetrainService onA = first.getBean(RetrainService.class);
                RetrainService onB = second.getBean(RetrainService.class);
                UUID longJob = onA.submit(RetrainRequest.parse(Map.of("model", "lightgcn", "maxEpochs", 5000,
                        "params", Map.of("patience", 5000)))).getId();
                await(jobs, longJob, j -> j.getStatus() == TrainingJobStatus.RUNNING && j.getEpoch() >= 1);
                assertThat(jobs.findById(longJob).orElseThrow().getOwner()).isEqualTo("replica-a");
                assertThatThrownBy(() -> onB.submit(RetrainRequest.empty()))
                        .isInstanceOfSatisfying(RetrainConflictException.class,
                                e -> assertThat(e.activeJobId()).isEqualTo(longJob));

                // cancelled on B, stopped on A (through the job's row)
                onB.cancel(longJob.toString());
                assertThat(await(jobs, longJob, j -> j.getStatus().isFinal()).getStatus())
                        .isEqualTo(TrainingJobStatus.CANCELLED);

                // the default model (mambarec once registered): its state must survive the registry round trip below
                UUID job = onB.submit(RetrainRequest.parse(Map.of("maxEpochs", 3))).getId();
                TrainingJob done = await(jobs, job, j -> j.getStatus().isFinal());
                assertThat(done.getStatus()).isEqualTo(TrainingJobStatus.SUCCEEDED);
                assertThat(done.getOwner()).isEqualTo("replica-b");
                assertThat(done.getModelName()).isEqualTo(onB.defaultModel());
                trained = second.getBean(ActiveModel.class).current().orElseThrow();
                // replica A follows B's activation by polling
                ActiveModel servedByA = first.getBean(ActiveModel.class);
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (servedByA.current().map(ServingModel::version).orElse(0L) != trained.version()
                        && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(servedByA.current().orElseThrow().version()).isEqualTo(trained.version());
            }

            // what the train command writes: model.json + model.params + result.json
            jdbc.queryForObject("select manifest, parameters from model_version where version = ?",
                    (rs, n) -> ModelArtifact.of(rs.getBytes(1), rs.getBytes(2)), trained.version()).writeTo(folder);
            Files.writeString(folder.resolve("result.json"), "{\"dataset\": \"offline\","
                    + " \"seed\": 1, \"epochs\": 3, \"bestEpoch\": 3, \"valid\": {\"Recall@20\": 0.25},"
                    + " \"test\": {\"Recall@20\": 0.2, \"NDCG@20\": 0.1}}");

            // a job whose process is killed mid-training stays RUNNING in its row
            jdbc.update("insert into training_job (id, status, model_name, request, max_epochs, epoch, owner,"
                    + " started_at, heartbeat_at) values (?, 'RUNNING', 'lightgcn', '{}'::jsonb, 10, 4, 'dead-replica',"
                    + " now(), now())", abandoned);
        }

        try (ConfigurableApplicationContext restarted = start()) {
            ServingModel reloaded = restarted.getBean(ActiveModel.class).current().orElseThrow();
            assertThat(reloaded.version()).isEqualTo(trained.version());
            assertThat(reloaded.userIds()).isEqualTo(trained.userIds());
            assertThat(reloaded.itemIds()).isEqualTo(trained.itemIds());
            assertClose(reloaded.embeddings().users(), trained.embeddings().users());
            assertClose(reloaded.embeddings().items(), trained.embeddings().items());

            TrainingJob job = restarted.getBean(TrainingJobRepository.class).findById(abandoned).orElseThrow();
            assertThat(job.getStatus()).isEqualTo(TrainingJobStatus.FAILED);
            assertThat(job.getError()).isEqualTo(RetrainService.ABANDONED);
            assertThat(job.getFinishedAt()).isNotNull();

            JdbcTemplate jdbc = new JdbcTemplate(restarted.getBean(DataSource.class));
            jdbc.update("delete from model_version");
            jdbc.update("delete from training_job");
        }

        try (ConfigurableApplicationContext bootstrapped = start("mambarec.bootstrap.model=" + folder)) {
            ModelRegistry registry = bootstrapped.getBean(ModelRegistry.class);
            List<ModelVersionSummary> versions = registry.list();
            assertThat(versions).hasSize(1);
            ModelVersionSummary version = versions.get(0);
            assertThat(version.source().name()).isEqualTo("BOOTSTRAP");
            assertThat(version.status().name()).isEqualTo("ACTIVE");
            assertThat(registry.metricsOf(version).testRecall20()).isEqualTo(0.2);
            assertThat(registry.configOf(version)).containsEntry("dataset", "offline").containsEntry("epochs", 3);
            ServingModel served = bootstrapped.getBean(ActiveModel.class).current().orElseThrow();
            assertThat(served.version()).isEqualTo(version.version());
            assertThat(served.testMetrics()).containsEntry("Recall@20", 0.2);
            assertClose(served.embeddings().items(), trained.embeddings().items());
        }
    }

    /** A context as a separate process: its own port, the test database; properties as command-line arguments. */
    private static ConfigurableApplicationContext start(String... properties) {
        List<String> args = new java.util.ArrayList<>(List.of("--server.port=0", "--mambarec.registry.poll-interval=200ms"));
        for (String property : properties) {
            args.add("--" + property);
        }
        return new SpringApplicationBuilder(MambaRecApplication.class)
                .initializers(new PostgresTestInitializer())
                .run(args.toArray(String[]::new));
    }

    private static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int k = 0; k < expected.length; k++) {
            assertThat(actual[k]).isCloseTo(expected[k], offset(1e-5f));
        }
    }

    private static TrainingJob await(TrainingJobRepository jobs, UUID id, Predicate<TrainingJob> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (true) {
            TrainingJob job = jobs.findById(id).orElseThrow();
            if (done.test(job)) {
                return job;
            }
            assertThat(System.nanoTime()).as("job %s is %s", id, job.getStatus()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
