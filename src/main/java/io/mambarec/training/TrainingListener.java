package io.mambarec.training;

/** Progress of a training run: called on the training thread after every epoch. */
@FunctionalInterface
public interface TrainingListener {

    TrainingListener NONE = report -> {};

    void onEpoch(EpochReport report);

    /** Called on the training thread when epoch {@code epoch} (1-based) has trained, before its evaluation. */
    default void onEpochTrained(int epoch) {}
}
