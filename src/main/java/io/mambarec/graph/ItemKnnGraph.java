package io.mambarec.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.mambarec.data.FeatureMatrix;

/**
 * The item-item graph of one modality (MGCN/MambaRec's item-item view): cosine similarity of the
 * items' raw feature rows, the top k entries of each row kept with their similarity as weight
 * (the item itself included), each kept w_ij normalised to w_ij * deg_i^-1/2 * deg_j^-1/2 where
 * deg is the ROW sum of kept weights. The result is sparse and, in general, not symmetric.
 */
public final class ItemKnnGraph {

    /** Rows of the similarity matrix computed at once (rows x items floats). */
    private static final int CHUNK_ROWS = 1024;

    private ItemKnnGraph() {}

    /**
     * Builds the normalised top-k graph of {@code features}; k larger than the number of items
     * keeps every item. Similarities are computed with the engine, chunk by chunk, in
     * {@code manager}'s sub-managers (nothing stays allocated).
     */
    public static SparseMatrix build(FeatureMatrix features, int k, NDManager manager) {
        if (k < 1) {
            throw new IllegalArgumentException("knn_k must be at least 1, not " + k);
        }
        int n = features.rows();
        int keep = Math.min(k, n);
        int[] rows = new int[n * keep];
        int[] cols = new int[n * keep];
        float[] weights = new float[n * keep];
        try (NDManager scope = manager.newSubManager()) {
            NDArray normalised = normaliseRows(scope.create(features.values(), new Shape(n, features.cols())));
            NDArray transposed = normalised.transpose();
            for (int start = 0; start < n; start += CHUNK_ROWS) {
                int end = Math.min(n, start + CHUNK_ROWS);
                try (NDManager chunk = scope.newSubManager()) {
                    NDArray block = normalised.get(start + ":" + end);
                    block.attach(chunk);
                    NDArray similarity = block.matMul(transposed);
                    similarity.attach(chunk);
                    NDList top = similarity.topK(keep, 1, true, true);
                    top.attach(chunk);
                    float[] values = top.get(0).toFloatArray();
                    long[] indices = top.get(1).toLongArray();
                    for (int e = 0; e < values.length; e++) {
                        int slot = start * keep + e;
                        rows[slot] = start + e / keep;
                        cols[slot] = (int) indices[e];
                        weights[slot] = values[e];
                    }
                }
            }
        }
        return normalise(new SparseMatrix(n, n, rows, cols, weights));
    }

    /** x / |x| per row; an all-zero row stays zero (similarity 0 to every item, itself included). */
    private static NDArray normaliseRows(NDArray x) {
        NDArray norm = x.norm(new int[] {1}, true);
        NDArray safe = norm.eq(0).toType(x.getDataType(), false).add(norm);
        return x.div(safe);
    }

    /**
     * w_ij * deg_i^-1/2 * deg_j^-1/2 with deg the row sums of the kept weights. A non-positive
     * degree (a row of zero or negative similarities) counts as 0 (PyTorch gives inf, masked to 0,
     * or NaN for a negative sum, which would poison training).
     */
    static SparseMatrix normalise(SparseMatrix kept) {
        float[] degree = new float[kept.rows()];
        for (int e = 0; e < kept.nonZeros(); e++) {
            degree[kept.rowIndex()[e]] += kept.values()[e];
        }
        float[] inverseSqrt = new float[degree.length];
        for (int i = 0; i < degree.length; i++) {
            inverseSqrt[i] = degree[i] > 0 ? (float) (1 / Math.sqrt(degree[i])) : 0f;
        }
        float[] values = new float[kept.nonZeros()];
        for (int e = 0; e < values.length; e++) {
            values[e] = inverseSqrt[kept.rowIndex()[e]] * kept.values()[e] * inverseSqrt[kept.colIndex()[e]];
        }
        return new SparseMatrix(kept.rows(), kept.cols(), kept.rowIndex(), kept.colIndex(), values);
    }
}
