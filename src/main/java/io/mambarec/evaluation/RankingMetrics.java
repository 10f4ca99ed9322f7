package io.mambarec.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recall, NDCG, Precision and MAP at K in {5, 10, 20, 50}, exactly as the MMRec toolbox computes
 * them ({@code utils/metrics.py}), per user from the hit list of the top 50, then averaged.
 *
 * <p>For a user with G relevant items and hits h_k (k = 1..50):
 * Recall@K = sum_{k<=K} h_k / G; Precision@K = sum_{k<=K} h_k / K;
 * NDCG@K = sum_{k<=K} h_k / log2(k+1) / sum_{k<=min(G,K)} 1 / log2(k+1);
 * MAP@K = sum_{k<=K} h_k * Precision@k / min(G, K).
 * MMRec caps G at 50 in the NDCG/MAP denominators, which is the same thing for every K <= 50. The one difference: MMRec rounds each reported metric to 4
 * decimals; we keep full precision.
 */
public final class RankingMetrics {

    public static final int[] CUTOFFS = {5, 10, 20, 50};
    public static final int MAX_K = 50;

    private static final String[] NAMES = {"Recall", "NDCG", "Precision", "MAP"};
    private static final double[] DISCOUNT = new double[MAX_K + 1];

    /** Validation Recall@20 selects the epoch (early stopping); test Recall@20 gates a retrained model. */
    public static final String RECALL_20 = key("Recall", 20);

    public static final String RECALL_10 = key("Recall", 10);
    public static final String NDCG_10 = key("NDCG", 10);
    public static final String NDCG_20 = key("NDCG", 20);

    static {
        for (int k = 1; k <= MAX_K; k++) {
            DISCOUNT[k] = 1.0 / (Math.log(k + 1) / Math.log(2));
        }
    }

    private final double[][] sums = new double[NAMES.length][CUTOFFS.length];
    private int users;

    /** The metric keys in report order: Recall@5..50, NDCG@5..50, Precision@5..50, MAP@5..50. */
    public static String[] keys() {
        String[] keys = new String[NAMES.length * CUTOFFS.length];
        for (int m = 0; m < NAMES.length; m++) {
            for (int c = 0; c < CUTOFFS.length; c++) {
                keys[m * CUTOFFS.length + c] = key(NAMES[m], CUTOFFS[c]);
            }
        }
        return keys;
    }

    public static String key(String metric, int k) {
        return metric + "@" + k;
    }

    /**
     * Adds one user.
     *
     * @param hits hits[k - 1] is true when the item at rank k is relevant (length <= 50)
     * @param relevant G, the number of the user's relevant items (>= 1)
     */
    public void addUser(boolean[] hits, int relevant) {
        if (relevant < 1) {
            throw new IllegalArgumentException("a user without relevant items is not evaluated");
        }
        int c = 0;
        double hitCount = 0;
        double dcg = 0;
        double idcg = 0;
        double precisionSum = 0;
        for (int k = 1; k <= MAX_K && c < CUTOFFS.length; k++) {
            boolean hit = k <= hits.length && hits[k - 1];
            if (hit) {
                hitCount++;
                dcg += DISCOUNT[k];
                precisionSum += hitCount / k;
            }
            if (k <= relevant) {
                idcg += DISCOUNT[k];
            }
            if (k == CUTOFFS[c]) {
                sums[0][c] += hitCount / relevant;
                sums[1][c] += dcg / idcg;
                sums[2][c] += hitCount / k;
                sums[3][c] += precisionSum / Math.min(relevant, k);
                c++;
            }
        }
        users++;
    }

    public int users() {
        return users;
    }

    /** Averages over the added users, keyed like {@code "Recall@20"}; zeros when no user was added. */
    public Map<String, Double> averages() {
        Map<String, Double> result = new LinkedHashMap<>();
        for (int m = 0; m < NAMES.length; m++) {
            for (int c = 0; c < CUTOFFS.length; c++) {
                result.put(key(NAMES[m], CUTOFFS[c]), users == 0 ? 0.0 : sums[m][c] / users);
            }
        }
        return result;
    }
}
