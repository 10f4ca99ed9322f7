package io.mambarec.training;

import java.util.Arrays;

/**
 * Training positives with a sampling weight (event types, see events.EventWeights): each epoch a
 * pair of weight w takes part with probability w, so over many epochs it contributes w times as
 * many BPR steps as a pair of weight 1. Without weights (the datasets' case) the epoch is the
 * whole shuffled list and no random number is drawn, so the replayed random streams stay intact.
 * The draws come from their own seeded source for the same reason.
 */
final class WeightedPositives {

    private final float[] weights;
    private final ResumableRandom random;

    WeightedPositives(float[] weights, long seed) {
        this.weights = weights;
        this.random = new ResumableRandom(seed ^ 0x5765696768747321L);
    }

    /** The position of its draws, for a checkpoint (two ints). */
    int[] position() {
        return random.position();
    }

    void moveTo(int[] position) {
        random.moveTo(position);
    }

    /** The positives of this epoch, in the shuffled order given. */
    int[] epoch(int[] shuffled) {
        if (weights == null) {
            return shuffled;
        }
        int[] kept = new int[shuffled.length];
        int n = 0;
        for (int k : shuffled) {
            if (random.nextFloat() < weights[k]) {
                kept[n++] = k;
            }
        }
        return Arrays.copyOf(kept, n);
    }
}
