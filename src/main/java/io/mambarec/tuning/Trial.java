package io.mambarec.tuning;

/** One point of a search, trained a rung at a time by {@link SuccessiveHalving}. */
public interface Trial {

    /**
     * Trains on until {@code epochs} epochs in all; it ends sooner when early stopping, the point's
     * {@code max_epochs}, divergence or the spent budget (checked between epochs) ends it.
     */
    void advanceTo(int epochs);

    /** The best validation Recall@20 so far; negative infinity before the first epoch or after divergence. */
    double validRecall20();

    /** Epochs trained so far. */
    int epochs();

    /** True when it cannot train further: stopped early, reached its {@code max_epochs} or diverged. */
    boolean done();

    /** 1-based epoch of the best validation Recall@20 so far (0 before the first epoch). */
    default int bestEpoch() {
        return 0;
    }

    /** Why training failed (divergence), or null. */
    default String failure() {
        return null;
    }

    /** Frees what it holds; it is not advanced again. */
    void release();
}
