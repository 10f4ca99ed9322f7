package io.mambarec.model.nn;

/**
 * How a forward pass runs: training (dropout on, BatchNorm with batch statistics) or evaluation,
 * and how many times BatchNorm running statistics are updated per training step.
 *
 * <p>{@code statisticUpdates} is 2 where the authors' code runs a module twice on identical
 * inputs in one step (MambaRec's MMD re-runs DREAM): the second run's output equals the first,
 * so it is reused, but its BatchNorm running-statistics update is still applied, so the numbers
 * stay identical to the authors'.
 *
 * @param training training mode
 * @param statisticUpdates BatchNorm running-statistics updates per training step (1 or more)
 */
public record Mode(boolean training, int statisticUpdates) {

    public static final Mode EVAL = new Mode(false, 0);
    public static final Mode TRAIN = new Mode(true, 1);

    public Mode {
        if (training && statisticUpdates < 1) {
            throw new IllegalArgumentException("training updates running statistics at least once");
        }
    }

    /** The same mode with BatchNorm statistics updated {@code times} times per step in training. */
    public Mode withStatisticUpdates(int times) {
        return training ? new Mode(true, times) : this;
    }
}
