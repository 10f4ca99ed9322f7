package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * The distinct indices of a batch's index array (users or positive items) with how often each
 * occurs. A batch of 2,048 TikTok interactions holds about 690 distinct users and 1,350 distinct
 * items, and the B x B terms of InfoNCE and MMD only need the distinct rows: a sum over all pairs
 * of batch rows is the sum over pairs of distinct rows weighted by both counts. The weights enter
 * the exponent as log counts (see {@link InfoNce#loss(NDArray, NDArray, DistinctRows)}), so the
 * losses, and their gradients, are the authors' up to float rounding, at (D / B)^2 of the cost.
 *
 * @param indices the distinct indices, ascending, int64 (D)
 * @param counts occurrences of each in the batch, float (D x 1)
 * @param logCounts log of the counts, float (D x 1)
 * @param batchSize B, the length of the batch's index array
 */
record DistinctRows(NDArray indices, NDArray counts, NDArray logCounts, int batchSize) {

    /** The distinct rows of {@code batchIndices}; the arrays are made by its manager (the batch's). */
    static DistinctRows of(NDArray batchIndices) {
        long[] sorted = batchIndices.toLongArray();
        Arrays.sort(sorted);
        long[] distinct = new long[sorted.length];
        float[] counts = new float[sorted.length];
        int d = -1;
        for (int k = 0; k < sorted.length; k++) {
            if (k == 0 || sorted[k] != sorted[k - 1]) {
                distinct[++d] = sorted[k];
            }
            counts[d]++;
        }
        int size = d + 1;
        float[] logCounts = new float[size];
        for (int k = 0; k < size; k++) {
            logCounts[k] = (float) Math.log(counts[k]);
        }
        NDManager manager = batchIndices.getManager();
        return new DistinctRows(
                manager.create(Arrays.copyOf(distinct, size)),
                manager.create(Arrays.copyOf(counts, size), new Shape(size, 1)),
                manager.create(logCounts, new Shape(size, 1)),
                sorted.length);
    }

    /** D, the number of distinct indices. */
    long size() {
        return indices.getShape().get(0);
    }
}
