package io.mambarec.jobs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mambarec.runtime.DjlEnvironment;
import io.mambarec.storage.CheckpointRepository;
import io.mambarec.storage.JobQueue;
import io.mambarec.training.TrainingCheckpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Run in a JVM of its own with a small heap by {@link TrainingCheckpointHeapTest}: a job's
 * {@link TrainingCheckpoint} over native arrays of {@code arrays} x {@code floats} floats (model
 * state and moments) saved through {@link JobCheckpoints} into PostgreSQL and resumed from it; prints
 * the bytes stored and whether every array read back equals the one saved.
 *
 * <p>Arguments: url user password job-id arrays floats.
 */
public final class TrainingCheckpointHeapProbe {

    private TrainingCheckpointHeapProbe() {}

    public static void main(String[] args) throws Exception {
        DjlEnvironment.configureOffline();
        UUID job = UUID.fromString(args[3]);
        int arrays = Integer.parseInt(args[4]);
        int floats = Integer.parseInt(args[5]);
        try (Connection c = DriverManager.getConnection(args[0], args[1], args[2]);
                NDManager manager = NDManager.newBaseManager()) {
            SingleConnectionDataSource data = new SingleConnectionDataSource(c, true);
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(data));
            JobCheckpoints store = new JobCheckpoints(
                    new CheckpointRepository(new JdbcTemplate(data)),
                    new JobQueue.Claim(job, 1, "{}"),
                    "f".repeat(64),
                    () -> {
                        throw new IllegalStateException("the probe's job was lost");
                    });
            NDList state = new NDList();
            NDList moments = new NDList();
            for (int k = 0; k < arrays; k++) {
                state.add(manager.randomUniform(-1f, 1f, new Shape(floats)));
                moments.add(manager.randomUniform(0f, 1f, new Shape(floats)));
            }
            TrainingCheckpoint.Progress progress =
                    new TrainingCheckpoint.Progress(3, 7L, Map.of(), 0.5, 2, 0, Map.of(), Map.of(), 1.0, List.of());
            tx.executeWithoutResult(s -> store.save(new TrainingCheckpoint(
                    progress, new int[] {2, 0, 1}, new int[] {5, 6}, state, new NDList(state.get(0)), moments)));
            System.out.println("saved "
                    + new JdbcTemplate(data)
                            .queryForObject(
                                    "SELECT state_size FROM training_checkpoint WHERE job_id = ?", Long.class, job));

            tx.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
            TrainingCheckpoint read = tx.execute(s -> store.latest(manager).orElseThrow());
            boolean equal = read.epochsDone() == 3
                    && equal(read.modelState(), state)
                    && equal(read.bestState(), new NDList(state.get(0)))
                    && equal(read.moments(), moments);
            System.out.println(
                    "read " + (read.modelState().size() + read.moments().size()) + " arrays, equal " + equal);
        }
    }

    private static boolean equal(NDList read, NDList saved) {
        if (read.size() != saved.size()) {
            return false;
        }
        for (int k = 0; k < read.size(); k++) {
            NDArray a = read.get(k);
            if (!a.contentEquals(saved.get(k))) {
                return false;
            }
        }
        return true;
    }
}
