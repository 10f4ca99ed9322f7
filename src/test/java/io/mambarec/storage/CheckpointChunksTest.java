package io.mambarec.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.PostgresTestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Job checkpoints in chunks on the real PostgreSQL (a server process: no trainer claims the jobs
 * written here): a checkpoint spans chunks and reads back whole, a new one replaces every chunk of
 * the old, a checkpoint half written (the writer fails, or the attempt loses its job while writing)
 * never replaces the last complete one, and a damaged chunk is not resumed. Chunks of 16 KiB, so a
 * few hundred KB make many.
 */
@PostgresSpringBootTest(properties = "mambarec.role=server")
class CheckpointChunksTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final int CHUNK = 16 << 10;
    private static final String DATA = "d".repeat(64);

    @Autowired
    DataSource dataSource;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    JobQueue queue;

    private JdbcTemplate jdbc;
    private CheckpointRepository checkpoints;
    private SearchCheckpointRepository search;

    @BeforeEach
    void emptyQueue() {
        jdbc = new JdbcTemplate(dataSource);
        PostgresTestDatabase.truncateAll(dataSource);
        checkpoints = SmallChunkCheckpoints.training(dataSource, transactions, CHUNK);
        search = SmallChunkCheckpoints.search(dataSource, transactions, CHUNK);
    }

    private JobQueue.Claim claimed() {
        UUID id = UUID.randomUUID();
        jdbc.update(
                "insert into training_job (id, status, model_name, request, max_epochs) values"
                        + " (?, 'QUEUED', 'lightgcn', '{\"model\": \"lightgcn\"}'::jsonb, 10)",
                id);
        return queue.claim("t", LEASE, 3).orElseThrow();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    @Test
    void aCheckpointSpansChunksAndANewOneReplacesThemAll() {
        JobQueue.Claim claim = claimed();
        byte[] large = random(10 * CHUNK + 123, 1);
        assertThat(checkpoints.save(claim, 2, out -> out.write(large), DATA)).isTrue();
        assertThat(checkpoints.chunks(claim.jobId())).isEqualTo(11);
        CheckpointRepository.Stored<byte[]> stored = checkpoints
                .latest(claim.jobId(), DATA, CheckpointChunksTest::readAll)
                .orElseThrow();
        assertThat(stored.epoch()).isEqualTo(2);
        assertThat(stored.state()).isEqualTo(large);

        byte[] small = random(CHUNK + 1, 2);
        // written a byte at a time, as DataOutputStream writes an int
        assertThat(checkpoints.save(
                        claim,
                        3,
                        out -> {
                            for (byte b : small) {
                                out.write(b);
                            }
                        },
                        DATA))
                .isTrue();
        assertThat(checkpoints.chunks(claim.jobId())).isEqualTo(2);
        stored = checkpoints
                .latest(claim.jobId(), DATA, CheckpointChunksTest::readAll)
                .orElseThrow();
        assertThat(stored.epoch()).isEqualTo(3);
        assertThat(stored.state()).isEqualTo(small);
        assertThat(checkpoints.latest(claim.jobId(), "e".repeat(64), CheckpointChunksTest::readAll))
                .as("other data")
                .isEmpty();

        checkpoints.delete(claim.jobId());
        assertThat(jdbc.queryForObject("select count(*) from training_checkpoint_chunk", Integer.class))
                .isZero();
    }

    @Test
    void aCheckpointHalfWrittenNeverReplacesTheLastCompleteOne() {
        JobQueue.Claim claim = claimed();
        byte[] complete = random(5 * CHUNK, 3);
        assertThat(checkpoints.save(claim, 4, out -> out.write(complete), DATA)).isTrue();

        // the next epoch's checkpoint fails after eight chunks (a full disk, the process dying)
        assertThatThrownBy(() -> checkpoints.save(
                        claim,
                        5,
                        out -> {
                            out.write(random(8 * CHUNK + 7, 4));
                            throw new IOException("disk full");
                        },
                        DATA))
                .isInstanceOf(UncheckedIOException.class);

        CheckpointRepository.Stored<byte[]> stored = checkpoints
                .latest(claim.jobId(), DATA, CheckpointChunksTest::readAll)
                .orElseThrow();
        assertThat(stored.epoch()).isEqualTo(4);
        assertThat(stored.state()).isEqualTo(complete);
        assertThat(checkpoints.chunks(claim.jobId())).isEqualTo(5);
    }

    @Test
    void anAttemptThatLosesItsJobWhileWritingLeavesTheCheckpointAsItWas() {
        JobQueue.Claim claim = claimed();
        byte[] complete = random(3 * CHUNK, 5);
        assertThat(checkpoints.save(claim, 1, out -> out.write(complete), DATA)).isTrue();

        boolean saved = checkpoints.save(
                claim,
                2,
                out -> {
                    out.write(random(4 * CHUNK, 6));
                    // meanwhile its lease passes and another trainer claims the job (another connection)
                    CompletableFuture.runAsync(() -> {
                                jdbc.update(
                                        "update training_job set lease_until = now() - interval '1 second'"
                                                + " where id = ?",
                                        claim.jobId());
                                assertThat(queue.claim("other", LEASE, 3)).isPresent();
                            })
                            .join();
                    out.write(random(CHUNK, 7));
                },
                DATA);

        assertThat(saved).isFalse();
        CheckpointRepository.Stored<byte[]> stored = checkpoints
                .latest(claim.jobId(), DATA, CheckpointChunksTest::readAll)
                .orElseThrow();
        assertThat(stored.epoch()).isEqualTo(1);
        assertThat(stored.state()).isEqualTo(complete);
        assertThat(checkpoints.chunks(claim.jobId())).isEqualTo(3);
        assertThat(checkpoints.save(claim, 3, out -> out.write(1), DATA))
                .as("the lost attempt writes nothing more")
                .isFalse();
    }

    @Test
    void aDamagedOrIncompleteCheckpointIsNotResumed() {
        JobQueue.Claim claim = claimed();
        byte[] state = random(3 * CHUNK, 8);
        assertThat(checkpoints.save(claim, 2, out -> out.write(state), DATA)).isTrue();

        byte[] changed = Arrays.copyOfRange(state, CHUNK, 2 * CHUNK);
        changed[17] ^= 1;
        jdbc.update(
                "update training_checkpoint_chunk set bytes = ? where job_id = ? and seq = 1", changed, claim.jobId());
        assertThat(checkpoints.latest(claim.jobId(), DATA, in -> {
                    throw new AssertionError("a damaged checkpoint is not decoded");
                }))
                .as("one bit changed")
                .isEmpty();

        jdbc.update("delete from training_checkpoint_chunk where job_id = ? and seq = 2", claim.jobId());
        assertThat(checkpoints.latest(claim.jobId(), DATA, CheckpointChunksTest::readAll))
                .as("a chunk missing")
                .isEmpty();
    }

    @Test
    void aSearchPointsCheckpointIsChunkedAndGoesWithItsPoint() {
        JobQueue.Claim claim = claimed();
        byte[] first = random(6 * CHUNK + 5, 9);
        byte[] second = random(2 * CHUNK, 10);
        assertThat(search.savePoint(claim, 1, 3, out -> out.write(first), DATA)).isTrue();
        assertThat(search.savePoint(claim, 2, 5, out -> out.write(second), DATA))
                .isTrue();
        assertThat(search.chunks(claim.jobId(), 1)).isEqualTo(7);
        assertThat(search.point(claim.jobId(), 1, DATA, CheckpointChunksTest::readAll))
                .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(first));
        assertThat(search.point(claim.jobId(), 2, DATA, CheckpointChunksTest::readAll))
                .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(second));

        assertThatThrownBy(() -> search.savePoint(
                        claim,
                        1,
                        4,
                        out -> {
                            out.write(random(3 * CHUNK, 11));
                            throw new IOException("killed");
                        },
                        DATA))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(search.point(claim.jobId(), 1, DATA, CheckpointChunksTest::readAll))
                .as("the last complete checkpoint of the point")
                .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(first));

        assertThat(search.deletePoint(claim, 1)).isTrue();
        assertThat(search.chunks(claim.jobId(), 1)).isZero();
        assertThat(search.chunks(claim.jobId(), 2)).isEqualTo(2);
        search.delete(claim.jobId());
        assertThat(jdbc.queryForObject("select count(*) from search_checkpoint_chunk", Integer.class))
                .isZero();
    }
}
