package io.mambarec.jobs;

import io.mambarec.data.Dataset;
import io.mambarec.data.Interactions;
import io.mambarec.data.Split;
import io.mambarec.evaluation.FullRankingEvaluator;
import io.mambarec.evaluation.PopularityRanking;
import io.mambarec.evaluation.RankingMetrics;
import io.mambarec.model.Embeddings;
import io.mambarec.serving.ServingModel;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The quality gate's measure: test Recall@20 on a job's holdout with the MMRec protocol
 * ({@link FullRankingEvaluator}), for the candidate and for the model being served. The served
 * model is mapped onto the job's users and items by external id. What it does not know counts
 * as a miss: an unknown item is masked like a training item (it can never be recommended, so
 * never hit), and an unknown user scores Recall 0 but still counts in the average.
 */
final class HoldoutRecall {

    private HoldoutRecall() {}

    static double ofCandidate(Dataset data, Embeddings candidate) {
        return FullRankingEvaluator.evaluate(candidate, data, Split.TEST).get(RankingMetrics.RECALL_20);
    }

    /**
     * The popularity ranking's: every user gets the items ranked by their training interaction
     * count (the {@code popular} strategy), scored as a one-dimensional model.
     */
    static double ofPopularity(Dataset data) {
        return ofCandidate(data, PopularityRanking.embeddings(data));
    }

    static double ofServed(Dataset data, ServingModel served) {
        Embeddings old = served.embeddings();
        int dim = old.dim();
        Map<String, Integer> oldUser = indexOf(served.userIds());
        Map<String, Integer> oldItem = indexOf(served.itemIds());

        // the old model's rows in the job's index space (zeros where it has none)
        float[] users = new float[data.numUsers() * dim];
        boolean[] knownUser = new boolean[data.numUsers()];
        for (int u = 0; u < data.numUsers(); u++) {
            Integer row = oldUser.get(data.userIds().get(u));
            if (row != null) {
                knownUser[u] = true;
                System.arraycopy(old.users(), row * dim, users, u * dim, dim);
            }
        }
        float[] items = new float[data.numItems() * dim];
        int[] unknownItems = IntStream.range(0, data.numItems())
                .filter(i -> {
                    Integer row = oldItem.get(data.itemIds().get(i));
                    if (row != null) {
                        System.arraycopy(old.items(), row * dim, items, i * dim, dim);
                    }
                    return row == null;
                })
                .toArray();
        Embeddings mapped = new Embeddings(data.numUsers(), data.numItems(), dim, users, items);

        int[][] masked = new int[data.numUsers()][];
        int[][] train = data.trainItemsByUser();
        for (int u = 0; u < masked.length; u++) {
            masked[u] = unknownItems.length == 0
                    ? train[u]
                    : IntStream.concat(Arrays.stream(train[u]), Arrays.stream(unknownItems))
                            .sorted()
                            .distinct()
                            .toArray();
        }

        // evaluate the known users; the unknown ones add zeros to the average
        Interactions test = data.test();
        int[] keep = IntStream.range(0, test.size())
                .filter(k -> knownUser[test.users()[k]])
                .toArray();
        Interactions knownTest = new Interactions(
                Arrays.stream(keep).map(k -> test.users()[k]).toArray(),
                Arrays.stream(keep).map(k -> test.items()[k]).toArray());
        long testUsers = Arrays.stream(test.users()).distinct().count();
        long knownTestUsers = Arrays.stream(knownTest.users()).distinct().count();
        if (knownTestUsers == 0) {
            return 0;
        }
        double knownRecall =
                FullRankingEvaluator.evaluate(mapped, masked, knownTest).get(RankingMetrics.RECALL_20);
        return knownRecall * knownTestUsers / testUsers;
    }

    private static Map<String, Integer> indexOf(List<String> ids) {
        Map<String, Integer> index = new HashMap<>(ids.size() * 2);
        for (int k = 0; k < ids.size(); k++) {
            index.put(ids.get(k), k);
        }
        return index;
    }
}
