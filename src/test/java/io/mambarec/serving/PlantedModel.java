package io.mambarec.serving;

import io.mambarec.data.Dataset;
import io.mambarec.model.Embeddings;
import java.util.List;
import java.util.Map;

/**
 * A hand-made model of the synthetic demo catalogue that knows its planted structure: dimension d
 * = taste; item i is the unit vector of its taste (i mod 8), user u has 1.0 on its main taste and
 * 0.3 on its second. It knows the first {@code knownUsers} users only, so the others exercise fold-in.
 */
public final class PlantedModel {

    private PlantedModel() {}

    public static ServingModel of(Dataset demo, int knownUsers, long version) {
        int dim = SyntheticDemoDataset.TASTES;
        float[] users = new float[knownUsers * dim];
        for (int u = 0; u < knownUsers; u++) {
            users[u * dim + mainTaste(u)] += 1f;
            users[u * dim + (3 * u + 1) % dim] += 0.3f;
        }
        float[] items = new float[demo.numItems() * dim];
        for (int i = 0; i < demo.numItems(); i++) {
            items[i * dim + taste(i)] = 1f - 0.001f * i / demo.numItems();
        }
        return new ServingModel(
                version,
                "planted",
                List.copyOf(demo.userIds().subList(0, knownUsers)),
                demo.itemIds(),
                new Embeddings(knownUsers, demo.numItems(), dim, users, items),
                Map.of("Recall@20", 0.5));
    }

    public static int mainTaste(int user) {
        return user % SyntheticDemoDataset.TASTES;
    }

    public static int taste(int item) {
        return item % SyntheticDemoDataset.TASTES;
    }

    /** Item index from an id like demo-item-0042. */
    public static int itemIndex(String itemId) {
        return Integer.parseInt(itemId.substring(itemId.lastIndexOf('-') + 1));
    }
}
