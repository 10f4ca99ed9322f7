package io.mambarec.training;

import java.util.Arrays;
import java.util.Random;

/**
 * One negative per positive: an item drawn uniformly from the items NOT in the user's training
 * items (rejection sampling, as MMRec's {@code _sample_neg_ids}).
 *
 * <p>MMRec draws candidates from the items that occur in the training split; the specification
 * says all items. We follow the specification: the two differ only for items with no training
 * interaction, which then also receive negative updates.
 */
public final class NegativeSampler {

    private final int[][] trainItemsByUser;
    private final int numItems;
    private final Random random;

    /**
     * @param trainItemsByUser sorted training items per user
     * @param numItems number of items
     * @param random the run's seeded random source
     */
    public NegativeSampler(int[][] trainItemsByUser, int numItems, Random random) {
        this.trainItemsByUser = trainItemsByUser;
        this.numItems = numItems;
        this.random = random;
    }

    public int sample(int user) {
        int[] seen = trainItemsByUser[user];
        if (seen.length >= numItems) {
            throw new IllegalStateException("user " + user + " has interacted with every item: no negative exists");
        }
        while (true) {
            int candidate = random.nextInt(numItems);
            if (Arrays.binarySearch(seen, candidate) < 0) {
                return candidate;
            }
        }
    }
}
