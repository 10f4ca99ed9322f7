package io.mambarec.evaluation;

import io.mambarec.data.Dataset;
import io.mambarec.model.Embeddings;
import java.util.Arrays;

/**
 * The popularity ranking as a model: every user gets the items ranked by their training
 * interaction count (the {@code popular} strategy), written as one-dimensional embeddings so that
 * the full-ranking protocol scores it like any model. It is the floor a trained model must beat.
 */
public final class PopularityRanking {

    private PopularityRanking() {}

    public static Embeddings embeddings(Dataset data) {
        float[] counts = new float[data.numItems()];
        for (int item : data.train().items()) {
            counts[item]++;
        }
        float[] users = new float[data.numUsers()];
        Arrays.fill(users, 1f);
        return new Embeddings(data.numUsers(), data.numItems(), 1, users, counts);
    }
}
