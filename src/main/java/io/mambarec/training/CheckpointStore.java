package io.mambarec.training;

import ai.djl.ndarray.NDManager;
import java.util.Optional;

/** Where a training run keeps its latest {@link TrainingCheckpoint} (the service: PostgreSQL, per job). */
public interface CheckpointStore {

    /** No checkpoints: a run starts at epoch 0 and saves nothing. */
    CheckpointStore NONE = new CheckpointStore() {
        @Override
        public Optional<TrainingCheckpoint> latest(NDManager manager) {
            return Optional.empty();
        }

        @Override
        public Optional<TrainingCheckpoint.Progress> progress() {
            return Optional.empty();
        }

        @Override
        public void save(TrainingCheckpoint checkpoint) {}

        @Override
        public boolean enabled() {
            return false;
        }
    };

    /** The checkpoint to resume from, if any, its arrays made by {@code manager}. */
    Optional<TrainingCheckpoint> latest(NDManager manager);

    /** The latest checkpoint's progress alone, if any: none of its arrays is read. */
    Optional<TrainingCheckpoint.Progress> progress();

    /**
     * Replaces the latest checkpoint; called at the end of every epoch. The checkpoint's arrays are
     * valid during the call only.
     */
    void save(TrainingCheckpoint checkpoint);

    /** False when saving is a no-op, so the trainer can skip making checkpoints. */
    default boolean enabled() {
        return true;
    }
}
