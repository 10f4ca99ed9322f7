package io.mambarec.training;

import java.util.EnumMap;
import java.util.Map;

/**
 * Wall-clock time per phase of the training loop, summed over the steps a {@link Trainer} ran while
 * it was given one ({@link Trainer#recordPhases}). PyTorch runs synchronously on the CPU, so the
 * time around a call is the time of its native work.
 */
public final class TrainingPhases {

    /** The loop's phases in the order a step runs them. */
    public enum Phase {
        /** the epoch's shuffle of the training interactions */
        SHUFFLE,
        /** negatives drawn and the batch's index arrays built and handed to the engine */
        SAMPLING,
        /** the forward pass up to the scalar loss */
        FORWARD,
        /** the backward pass */
        BACKWARD,
        /** Adam on every parameter */
        OPTIMISER,
        /** the evaluation-mode forward pass (final embeddings) */
        EMBEDDINGS,
        /** full ranking of validation (and, at a new best epoch, test) users */
        RANKING,
        /** copy of the parameters at a new best epoch */
        SNAPSHOT
    }

    private final Map<Phase, long[]> totals = new EnumMap<>(Phase.class);

    void add(Phase phase, long nanos) {
        long[] total = totals.computeIfAbsent(phase, p -> new long[2]);
        total[0] += nanos;
        total[1]++;
    }

    /** Seconds spent in {@code phase} so far. */
    public double seconds(Phase phase) {
        long[] total = totals.get(phase);
        return total == null ? 0 : total[0] / 1e9;
    }

    /** How many times {@code phase} ran. */
    public long count(Phase phase) {
        long[] total = totals.get(phase);
        return total == null ? 0 : total[1];
    }

    public void reset() {
        totals.clear();
    }
}
