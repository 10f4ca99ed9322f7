package io.mambarec.training;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Early stopping on a validation score, with MMRec's semantics ({@code utils.early_stopping}):
 * a score strictly greater than the best so far is an improvement and resets the counter;
 * otherwise the counter grows, and training stops once it EXCEEDS the patience. The best score
 * starts at -1, so the first epoch always improves.
 *
 * <p>Scores are compared as the toolbox compares them: its evaluator returns every metric rounded
 * to {@value #TOOLBOX_DECIMALS} decimals ({@code round(value, 4)}), so an epoch that is better only
 * in the fifth decimal does not count as an improvement.
 */
public final class EarlyStopping {

    static final int TOOLBOX_DECIMALS = 4;

    private final int patience;
    private double best = -1;
    private int bestEpoch = -1;
    private int epochsWithoutImprovement;

    public EarlyStopping(int patience) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, not " + patience);
        }
        this.patience = patience;
    }

    /** Records the score of {@code epoch}; returns true when it is the new best. */
    public boolean record(int epoch, double score) {
        double rounded = round(score);
        if (rounded > best) {
            best = rounded;
            bestEpoch = epoch;
            epochsWithoutImprovement = 0;
            return true;
        }
        epochsWithoutImprovement++;
        return false;
    }

    /** Python's round(x, n): the exact binary value rounded half-even to n decimals. */
    private static double round(double score) {
        if (!Double.isFinite(score)) {
            return score;
        }
        return new BigDecimal(score)
                .setScale(TOOLBOX_DECIMALS, RoundingMode.HALF_EVEN)
                .doubleValue();
    }

    public boolean shouldStop() {
        return epochsWithoutImprovement > patience;
    }

    /** The best score so far, rounded as compared. */
    public double best() {
        return best;
    }

    public int bestEpoch() {
        return bestEpoch;
    }

    /** Epochs since the best one (the counter compared with the patience). */
    public int epochsWithoutImprovement() {
        return epochsWithoutImprovement;
    }

    /** Continues a run from a checkpoint of {@link #best()}, {@link #bestEpoch()} and the counter. */
    public void resume(double savedBest, int savedBestEpoch, int savedEpochsWithoutImprovement) {
        best = savedBest;
        bestEpoch = savedBestEpoch;
        epochsWithoutImprovement = savedEpochsWithoutImprovement;
    }
}
