package io.mambarec.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.SyntheticData;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingSettings;
import io.mambarec.storage.CheckpointRepository;
import io.mambarec.storage.JobQueue;
import io.mambarec.storage.SmallChunkCheckpoints;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.PostgresTestDatabase;
import io.mambarec.training.CheckpointStore;
import io.mambarec.training.EpochReport;
import io.mambarec.training.Trainer;
import io.mambarec.training.TrainingCancelledException;
import io.mambarec.training.TrainingResult;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A job stopped after epoch 2 resumes from its checkpoint in PostgreSQL, stored in many chunks
 * (16 KiB here), and ends exactly as the run that never stopped: the job's own checkpoint store
 * ({@link JobCheckpoints}) over the real repository, a new model and trainer as in a new process.
 */
@PostgresSpringBootTest(properties = "mambarec.role=server")
class ChunkedCheckpointResumeTest {

    private static final Dataset DATA = SyntheticData.dataset(7);
    private static final String FINGERPRINT = "f".repeat(64);
    private static final long SEED = 3;

    @Autowired
    DataSource dataSource;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    JobQueue queue;

    @Test
    void aJobResumedFromAChunkedCheckpointEndsAsTheUninterruptedRun() {
        PostgresTestDatabase.truncateAll(dataSource);
        CheckpointRepository repository = SmallChunkCheckpoints.training(dataSource, transactions, 16 << 10);
        Hyperparameters hp = Models.get("lightgcn")
                .resolve(Map.of("max_epochs", "5", "batch_size", "128", "learning_rate", "0.01", "patience", "5"));
        UUID id = UUID.randomUUID();
        new JdbcTemplate(dataSource)
                .update(
                        "insert into training_job (id, status, model_name, request, max_epochs) values"
                                + " (?, 'QUEUED', 'lightgcn', '{\"model\": \"lightgcn\"}'::jsonb, 5)",
                        id);
        JobQueue.Claim claim = queue.claim("t", Duration.ofSeconds(30), 3).orElseThrow();
        AtomicBoolean lost = new AtomicBoolean();

        Run uninterrupted = run(hp, CheckpointStore.NONE, Integer.MAX_VALUE);

        JobCheckpoints first = new JobCheckpoints(repository, claim, FINGERPRINT, () -> lost.set(true));
        assertThat(first.resumedEpoch()).isNull();
        assertThatThrownBy(() -> run(hp, first, 2)).isInstanceOf(TrainingCancelledException.class);
        assertThat(repository.chunks(claim.jobId()))
                .as("the checkpoint spans chunks")
                .isGreaterThan(3);

        JobCheckpoints second = new JobCheckpoints(repository, claim, FINGERPRINT, () -> lost.set(true));
        assertThat(second.resumedEpoch()).isEqualTo(2);
        Run resumed = run(hp, second, Integer.MAX_VALUE);

        assertThat(lost).isFalse();
        assertThat(resumed.result().history().stream()
                        .map(EpochReport::meanLoss)
                        .toList())
                .isEqualTo(uninterrupted.result().history().stream()
                        .map(EpochReport::meanLoss)
                        .toList());
        assertThat(resumed.result().valid()).isEqualTo(uninterrupted.result().valid());
        assertThat(resumed.result().test()).isEqualTo(uninterrupted.result().test());
        assertThat(resumed.finalState()).isEqualTo(uninterrupted.finalState());
        assertThat(new JobCheckpoints(repository, claim, FINGERPRINT, () -> {}).resumedEpoch())
                .as("the last epoch's checkpoint")
                .isEqualTo(5);
    }

    private record Run(TrainingResult result, byte[] finalState) {}

    private static Run run(Hyperparameters hp, CheckpointStore checkpoints, int stopAfter) {
        AtomicInteger epochs = new AtomicInteger();
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = Models.get("lightgcn").create(DATA, hp, manager, SEED)) {
            TrainingResult result = new Trainer(TrainingSettings.of(hp), SEED)
                    .train(
                            model,
                            DATA,
                            report -> epochs.incrementAndGet(),
                            () -> epochs.get() >= stopAfter,
                            checkpoints);
            return new Run(result, model.state().encode());
        }
    }
}
