package io.mambarec.serving;

/**
 * The embedding of an item the model has not seen (added or changed through {@code PUT /items}
 * since the last retrain), by the model's item-item graph rule: in each modality, its k = 10
 * most cosine-similar catalogue items that the model knows, weighted by their similarity;
 * the item's vector is the mean over modalities of those similarity-weighted means of the
 * neighbours' final embeddings. Negative similarities get weight 0 (if every weight is 0, the
 * neighbours count equally).
 */
final class NeighbourEmbedding {

    static final int K = 10;

    private NeighbourEmbedding() {}

    /**
     * @param unitFeatures the new item's unit feature vectors per modality
     * @param neighbourFeatures neighbourFeatures[j][m]: unit features of model item j (null if missing)
     * @param vectors model item embeddings, row j at j * dim
     * @return the derived embedding, or null if no modality has a neighbour
     */
    static float[] of(float[][] unitFeatures, float[][][] neighbourFeatures, float[] vectors, int dim) {
        double[] sum = new double[dim];
        int modalitiesUsed = 0;
        for (int m = 0; m < unitFeatures.length; m++) {
            float[] f = unitFeatures[m];
            if (f == null) {
                continue;
            }
            TopK nearest = new TopK(K);
            for (int j = 0; j < neighbourFeatures.length; j++) {
                float[] g = neighbourFeatures[j] == null || m >= neighbourFeatures[j].length
                        ? null
                        : neighbourFeatures[j][m];
                if (g != null && g.length == f.length) {
                    nearest.offer(j, Vectors.dot(f, 0, g, 0, f.length));
                }
            }
            TopK.Ranked ranked = nearest.ranked();
            if (ranked.indices().length == 0) {
                continue;
            }
            double total = 0;
            for (double s : ranked.scores()) {
                total += Math.max(s, 0);
            }
            for (int r = 0; r < ranked.indices().length; r++) {
                double w = total > 0 ? Math.max(ranked.scores()[r], 0) / total : 1.0 / ranked.indices().length;
                int offset = ranked.indices()[r] * dim;
                for (int d = 0; d < dim; d++) {
                    sum[d] += w * vectors[offset + d];
                }
            }
            modalitiesUsed++;
        }
        if (modalitiesUsed == 0) {
            return null;
        }
        float[] out = new float[dim];
        for (int d = 0; d < dim; d++) {
            out[d] = (float) (sum[d] / modalitiesUsed);
        }
        return out;
    }
}
