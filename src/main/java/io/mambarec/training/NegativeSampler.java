package io.mambarec.training;

import io.mambarec.data.Interactions;
import java.util.Arrays;

/**
 * One negative per positive, as MMRec's {@code TrainDataLoader._sample_neg_ids}: draw uniformly
 * from the items that occur in the TRAINING split, redraw while the item is one of the user's
 * training items.
 *
 * <p>Departure from the sampler as the MambaRec paper describes it (uniform over the items not in
 * the user's training items, i.e. over all items): the code behind the published figures (MMRec, and the
 * MambaRec code built on it) never draws an item without training interactions. It matters on
 * TikTok, where 465 of 6,710 items occur only in validation/test: drawn as negatives they are
 * pushed to the bottom of every ranking; in MMRec they keep their initial embeddings. The setting
 * {@code negatives_from_all_items} draws from every item instead (the paper's description).
 */
public final class NegativeSampler {

    private final int[][] trainItemsByUser;
    private final int[] candidates;
    private final TrainingRandomness random;

    /**
     * @param trainItemsByUser sorted training items per user
     * @param train the training interactions (their distinct items are the candidates)
     * @param numItems number of items
     * @param fromAllItems draw from every item, not only from those in the training interactions
     * @param random the run's seeded random draws
     */
    NegativeSampler(
            int[][] trainItemsByUser,
            Interactions train,
            int numItems,
            boolean fromAllItems,
            TrainingRandomness random) {
        this.trainItemsByUser = trainItemsByUser;
        boolean[] inTraining = new boolean[numItems];
        for (int i : train.items()) {
            inTraining[i] = true;
        }
        if (fromAllItems) {
            java.util.Arrays.fill(inTraining, true);
        }
        this.candidates = java.util.stream.IntStream.range(0, numItems)
                .filter(i -> inTraining[i])
                .toArray();
        random.arrangeCandidates(candidates);
        this.random = random;
    }

    public int sample(int user) {
        int[] seen = trainItemsByUser[user];
        if (seen.length >= candidates.length) {
            throw new IllegalStateException(
                    "user " + user + " has interacted with every training item: no negative exists");
        }
        while (true) {
            int candidate = candidates[random.candidateIndex(candidates.length)];
            if (Arrays.binarySearch(seen, candidate) < 0) {
                return candidate;
            }
        }
    }
}
