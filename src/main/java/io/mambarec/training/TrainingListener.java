package io.mambarec.training;

/** Progress of a training run: called on the training thread after every epoch. */
@FunctionalInterface
public interface TrainingListener {

    TrainingListener NONE = report -> {};

    void onEpoch(EpochReport report);
}
