package io.mambarec.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.PostgresTestDatabase;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The trainers' side of the job queue on the real PostgreSQL (a server process: no trainer of its
 * own claims the rows written here): one claim per job among concurrent trainers, leases and their
 * expiry, the attempt number fencing a trainer that lost its job, attempts counted to FAILED, and
 * checkpoints that only the holding attempt writes.
 */
@PostgresSpringBootTest(properties = "mambarec.role=server")
class JobQueueTest {

    private static final Duration LEASE = Duration.ofSeconds(30);

    @Autowired
    DataSource dataSource;

    @Autowired
    JobQueue queue;

    @Autowired
    CheckpointRepository checkpoints;

    private JdbcTemplate jdbc;

    @BeforeEach
    void emptyQueue() {
        jdbc = new JdbcTemplate(dataSource);
        PostgresTestDatabase.truncateAll(dataSource);
    }

    private UUID queued() {
        UUID id = UUID.randomUUID();
        jdbc.update(
                "insert into training_job (id, status, model_name, request, max_epochs) values"
                        + " (?, 'QUEUED', 'lightgcn', '{\"model\": \"lightgcn\"}'::jsonb, 10)",
                id);
        return id;
    }

    private void expireLease(UUID id) {
        jdbc.update("update training_job set lease_until = now() - interval '1 second' where id = ?", id);
    }

    private String status(UUID id) {
        return jdbc.queryForObject("select status from training_job where id = ?", String.class, id);
    }

    @Test
    void concurrentTrainersClaimAQueuedJobOnce() throws Exception {
        UUID id = queued();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Optional<JobQueue.Claim>>> claims = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                String replica = "trainer-" + k;
                claims.add(() -> queue.claim(replica, LEASE, 3));
            }
            List<JobQueue.Claim> won = new ArrayList<>();
            for (Future<Optional<JobQueue.Claim>> f : pool.invokeAll(claims)) {
                f.get().ifPresent(won::add);
            }
            assertThat(won).hasSize(1);
            assertThat(won.get(0).jobId()).isEqualTo(id);
            assertThat(won.get(0).attempt()).isEqualTo(1);
            assertThat(won.get(0).request()).contains("lightgcn");
        } finally {
            pool.shutdownNow();
        }
        assertThat(status(id)).isEqualTo("RUNNING");
        assertThat(queue.claim("late", LEASE, 3)).isEmpty();
    }

    @Test
    void aJobWhoseLeasePassedIsClaimedAgainAndTheOldAttemptCanNoLongerWrite() {
        UUID id = queued();
        JobQueue.Claim first = queue.claim("a", LEASE, 3).orElseThrow();
        assertThat(queue.heartbeat(first, LEASE)).contains(false);
        assertThat(queue.claim("b", LEASE, 3))
                .as("a live lease is not claimable")
                .isEmpty();

        expireLease(id);
        JobQueue.Claim second = queue.claim("b", LEASE, 3).orElseThrow();
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(jdbc.queryForObject("select replica from training_job where id = ?", String.class, id))
                .isEqualTo("b");

        assertThat(queue.heartbeat(first, LEASE)).isEmpty();
        assertThat(queue.progress(first, 3, 0.5, 0.1, 3, 1.0)).isFalse();
        assertThat(checkpoints.save(first, 3, out -> out.write(1), "f".repeat(64)))
                .isFalse();
        assertThat(queue.finish(first, TrainingJobStatus.SUCCEEDED, null, null, null, null, null))
                .isFalse();
        assertThat(status(id)).isEqualTo("RUNNING");

        assertThat(queue.progress(second, 1, 0.5, 0.1, 1, 1.0)).isTrue();
        assertThat(queue.finish(second, TrainingJobStatus.SUCCEEDED, null, 7L, 0.3, null, 0.1))
                .isTrue();
        assertThat(status(id)).isEqualTo("SUCCEEDED");
    }

    @Test
    void aJobItsTrainersKeepDyingOnEndsFailedAfterTheLastAttempt() {
        UUID id = queued();
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThat(queue.endExpired(3)).isEmpty();
            assertThat(queue.claim("t", LEASE, 3).orElseThrow().attempt()).isEqualTo(attempt);
            expireLease(id);
        }
        assertThat(queue.claim("t", LEASE, 3)).isEmpty();
        assertThat(queue.endExpired(3)).containsExactly(TrainingJobStatus.FAILED);
        assertThat(status(id)).isEqualTo("FAILED");
        assertThat(jdbc.queryForObject("select error from training_job where id = ?", String.class, id))
                .contains("stopped 3 times");
    }

    @Test
    void aFailedAttemptIsRetriedUntilTheLastThenFails() {
        UUID id = queued();
        JobQueue.Claim first = queue.claim("t", LEASE, 2).orElseThrow();
        assertThat(queue.failAttempt(first, "database went away", 2)).contains(TrainingJobStatus.QUEUED);
        JobQueue.Claim second = queue.claim("t", LEASE, 2).orElseThrow();
        assertThat(queue.failAttempt(second, "database went away again", 2)).contains(TrainingJobStatus.FAILED);
        assertThat(jdbc.queryForObject("select error from training_job where id = ?", String.class, id))
                .isEqualTo("database went away again");
    }

    @Test
    void aReleasedJobIsQueuedAgainWithoutCountingTheAttempt() {
        UUID id = queued();
        JobQueue.Claim claim = queue.claim("t", LEASE, 3).orElseThrow();
        assertThat(queue.release(claim)).isTrue();
        assertThat(status(id)).isEqualTo("QUEUED");
        assertThat(queue.claim("t", LEASE, 3).orElseThrow().attempt()).isEqualTo(1);
    }

    @Test
    void aCancelRequestReachesTheHeartbeatAndAnOrphanedCancelledJobEnds() {
        UUID id = queued();
        JobQueue.Claim claim = queue.claim("t", LEASE, 3).orElseThrow();
        jdbc.update("update training_job set cancel_requested = true where id = ?", id);
        assertThat(queue.heartbeat(claim, LEASE)).contains(true);
        assertThat(queue.cancelExpired(id))
                .as("its trainer is alive: it cancels")
                .isFalse();
        expireLease(id);
        assertThat(queue.cancelExpired(id)).isTrue();
        assertThat(status(id)).isEqualTo("CANCELLED");
    }

    @Test
    void aCheckpointIsReadBackOnlyForTheSameDataAndIntact() {
        UUID id = queued();
        JobQueue.Claim claim = queue.claim("t", LEASE, 3).orElseThrow();
        String data = "a".repeat(64);
        assertThat(checkpoints.save(claim, 2, out -> out.write(new byte[] {1, 2, 3}), data))
                .isTrue();
        assertThat(checkpoints.save(claim, 3, out -> out.write(new byte[] {4, 5}), data))
                .isTrue();
        CheckpointRepository.Stored<byte[]> stored =
                checkpoints.latest(id, data, InputStream::readAllBytes).orElseThrow();
        assertThat(stored.epoch()).isEqualTo(3);
        assertThat(stored.state()).containsExactly(4, 5);
        assertThat(checkpoints.latest(id, "b".repeat(64), InputStream::readAllBytes))
                .as("other data")
                .isEmpty();
        jdbc.update("update training_checkpoint_chunk set bytes = '\\x0406'::bytea where job_id = ?", id);
        assertThat(checkpoints.latest(id, data, InputStream::readAllBytes))
                .as("corrupted")
                .isEmpty();
        checkpoints.delete(id);
        assertThat(jdbc.queryForObject("select count(*) from training_checkpoint", Integer.class))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from training_checkpoint_chunk", Integer.class))
                .as("the chunks go with their checkpoint")
                .isZero();
    }
}
