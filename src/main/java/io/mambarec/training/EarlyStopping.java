package io.mambarec.training;

/**
 * Early stopping on a validation score, with MMRec's semantics ({@code utils.early_stopping}):
 * a score strictly greater than the best so far is an improvement and resets the counter;
 * otherwise the counter grows, and training stops once it EXCEEDS the patience. The best score
 * starts at -1, so the first epoch always improves.
 */
public final class EarlyStopping {

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
        if (score > best) {
            best = score;
            bestEpoch = epoch;
            epochsWithoutImprovement = 0;
            return true;
        }
        epochsWithoutImprovement++;
        return false;
    }

    public boolean shouldStop() {
        return epochsWithoutImprovement > patience;
    }

    public double best() {
        return best;
    }

    public int bestEpoch() {
        return bestEpoch;
    }
}
