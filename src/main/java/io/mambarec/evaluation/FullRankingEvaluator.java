package io.mambarec.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mambarec.data.Dataset;
import io.mambarec.data.Interactions;
import io.mambarec.data.Split;
import io.mambarec.model.Embeddings;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * The MMRec full-ranking protocol: for every user with at least one item in the evaluated split,
 * score all items (inner products), set the user's TRAINING items to -infinity (validation items
 * stay rankable when testing, as in MMRec, whose evaluation loaders mask the training split only),
 * take the top 50 and compute {@link RankingMetrics}. Users never seen in training were already
 * dropped by the dataset.
 *
 * <p>Scores are computed in blocks of users with DJL (one matrix product per block, the block's
 * arrays freed with its manager); masking and the top-50 selection run in Java on the block.
 */
public final class FullRankingEvaluator {

    /** Users scored per block: 2048 x 7050 floats is 58 MB on Amazon Baby. */
    private static final int BLOCK_USERS = 2048;

    private FullRankingEvaluator() {}

    public static Map<String, Double> evaluate(Embeddings embeddings, Dataset data, Split split) {
        return evaluate(embeddings, data.trainItemsByUser(), data.split(split));
    }

    /**
     * @param trainItemsByUser sorted training items per user (masked)
     * @param split the evaluated interactions (the relevant items)
     */
    public static Map<String, Double> evaluate(Embeddings embeddings, int[][] trainItemsByUser, Interactions split) {
        int[][] relevant = Dataset.groupByUser(split, embeddings.numUsers());
        int[] users = java.util.stream.IntStream.range(0, embeddings.numUsers())
                .filter(u -> relevant[u].length > 0)
                .toArray();
        RankingMetrics metrics = new RankingMetrics();
        int numItems = embeddings.numItems();
        int dim = embeddings.dim();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray itemsT =
                    manager.create(embeddings.items(), new Shape(numItems, dim)).transpose();
            // one score array for every block: no 58 MB garbage per block for the collector
            float[] scores = new float[Math.multiplyExact(Math.min(BLOCK_USERS, users.length), numItems)];
            for (int start = 0; start < users.length; start += BLOCK_USERS) {
                int[] block = Arrays.copyOfRange(users, start, Math.min(users.length, start + BLOCK_USERS));
                scoreBlock(manager, embeddings, itemsT, block, scores);
                for (int b = 0; b < block.length; b++) {
                    int u = block[b];
                    int offset = b * numItems;
                    for (int i : trainItemsByUser[u]) {
                        scores[offset + i] = Float.NEGATIVE_INFINITY;
                    }
                    int[] top = topK(scores, offset, numItems, RankingMetrics.MAX_K);
                    boolean[] hits = new boolean[top.length];
                    for (int r = 0; r < top.length; r++) {
                        hits[r] = Arrays.binarySearch(relevant[u], top[r]) >= 0;
                    }
                    metrics.addUser(hits, relevant[u].length);
                }
            }
        }
        return metrics.averages();
    }

    /** The block's users' scores of every item, row by row, into the start of {@code scores}. */
    private static void scoreBlock(
            NDManager parent, Embeddings embeddings, NDArray itemsT, int[] block, float[] scores) {
        int dim = embeddings.dim();
        float[] userRows = new float[block.length * dim];
        for (int b = 0; b < block.length; b++) {
            System.arraycopy(embeddings.users(), block[b] * dim, userRows, b * dim, dim);
        }
        try (NDManager blockManager = parent.newSubManager()) {
            NDArray u = blockManager.create(userRows, new Shape(block.length, dim));
            // read through a view of the product's memory (it lives until the block's manager closes):
            // toFloatArray would copy the block into a Java byte array, then into a fresh float array
            FloatBuffer product = u.matMul(itemsT)
                    .toByteBuffer(true)
                    .order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
            product.get(scores, 0, product.remaining());
        }
    }

    /**
     * Indices of the k largest of {@code scores[offset .. offset + n)}, best first; ties go to the
     * lower index. -infinity (masked) items are never returned unless fewer than k remain.
     */
    static int[] topK(float[] scores, int offset, int n, int k) {
        int size = Math.min(k, n);
        int[] best = new int[size];
        float[] bestScore = new float[size];
        int filled = 0;
        for (int i = 0; i < n; i++) {
            float s = scores[offset + i];
            if (filled == size && !(s > bestScore[size - 1])) {
                continue;
            }
            int pos = filled == size ? size - 1 : filled++;
            while (pos > 0 && s > bestScore[pos - 1]) {
                best[pos] = best[pos - 1];
                bestScore[pos] = bestScore[pos - 1];
                pos--;
            }
            best[pos] = i;
            bestScore[pos] = s;
        }
        return best;
    }
}
