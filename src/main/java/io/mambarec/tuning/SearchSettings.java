package io.mambarec.tuning;

import io.mambarec.config.MambaRecProperties;

/**
 * How {@code auto} spends its budget ({@link SuccessiveHalving}, {@link BracketSchedule}).
 *
 * @param points points in the most exploratory bracket's first rung at most (fewer when the budget
 *     cannot pay for them); with {@code eta} it sets how many kinds of bracket there are,
 *     floor(log_eta(points)) + 1
 * @param eta a rung keeps the best 1/eta of its points and trains them eta times as many epochs
 * @param minEpochs epochs of the most exploratory bracket's first rung; the first bracket's is
 *     {@code minEpochs * eta^floor(log_eta(points))}
 * @param brackets brackets at most; each after the first draws new points while the budget lasts
 * @param explorationShare the share of the remaining budget a bracket may spend on its rungs; the
 *     rest is left for its survivor to train until early stopping
 * @param members runs of the chosen setting the result may combine ({@link io.mambarec.model.SeedEnsemble}):
 *     1, the chosen point alone; more, the search leaves {@link #ENSEMBLE_SHARE} of the budget to train
 *     up to {@code members - 1} more runs of the chosen setting with other seeds, and the members are
 *     chosen among the runs by validation
 */
public record SearchSettings(int points, int eta, int minEpochs, int brackets, double explorationShare, int members) {

    /** The share of the remaining budget a bracket may spend on its rungs, unless a test sets another. */
    public static final double EXPLORATION_SHARE = 0.5;
    /**
     * The share of the budget kept for the ensemble's further runs (when {@code members > 1}): on
     * TikTok, 24 of 60 minutes, three to five runs of the paper's settings on two cores.
     */
    public static final double ENSEMBLE_SHARE = 0.4;
    /** At most this many members. */
    public static final int MAX_MEMBERS = 8;

    public SearchSettings {
        if (points < 1 || points > 1000) {
            throw new IllegalArgumentException("points must be between 1 and 1,000, not " + points);
        }
        if (eta < 2 || eta > 100) {
            throw new IllegalArgumentException("eta must be between 2 and 100, not " + eta);
        }
        if (minEpochs < 1 || minEpochs > 1000) {
            throw new IllegalArgumentException("min-epochs must be between 1 and 1,000, not " + minEpochs);
        }
        if (brackets < 1 || brackets > 100) {
            throw new IllegalArgumentException("brackets must be between 1 and 100, not " + brackets);
        }
        if (!(explorationShare > 0 && explorationShare <= 1)) {
            throw new IllegalArgumentException("exploration-share must be > 0 and <= 1, not " + explorationShare);
        }
        if (members < 1 || members > MAX_MEMBERS) {
            throw new IllegalArgumentException("ensemble must be between 1 and " + MAX_MEMBERS + ", not " + members);
        }
    }

    /** A search whose result is the chosen point alone (no ensemble). */
    public SearchSettings(int points, int eta, int minEpochs, int brackets, double explorationShare) {
        this(points, eta, minEpochs, brackets, explorationShare, 1);
    }

    /** The search of an {@code auto} job or of {@code train --model auto}, as {@code mambarec.retrain.auto.*} or the options give it. */
    public SearchSettings(int points, int eta, int minEpochs, int brackets, int members) {
        this(points, eta, minEpochs, brackets, EXPLORATION_SHARE, members);
    }

    /** The settings {@code mambarec.retrain.auto.*} give. */
    public static SearchSettings of(MambaRecProperties.Retrain.Auto auto) {
        return new SearchSettings(auto.points(), auto.eta(), auto.minEpochs(), auto.brackets(), auto.ensemble());
    }

    /** The share of the budget the search of settings may spend: all of it without an ensemble. */
    public double searchShare() {
        return members > 1 ? 1 - ENSEMBLE_SHARE : 1;
    }
}
