package io.mambarec.training;

import java.util.Optional;

/** Where a training run keeps its latest {@link TrainingCheckpoint} (the service: PostgreSQL, per job). */
public interface CheckpointStore {

    /** No checkpoints: a run starts at epoch 0 and saves nothing. */
    CheckpointStore NONE = new CheckpointStore() {
        @Override
        public Optional<TrainingCheckpoint> latest() {
            return Optional.empty();
        }

        @Override
        public void save(TrainingCheckpoint checkpoint) {}

        @Override
        public boolean enabled() {
            return false;
        }
    };

    /** The checkpoint to resume from, if any. */
    Optional<TrainingCheckpoint> latest();

    /** Replaces the latest checkpoint; called at the end of every epoch. */
    void save(TrainingCheckpoint checkpoint);

    /** False when saving is a no-op, so the trainer can skip encoding. */
    default boolean enabled() {
        return true;
    }
}
