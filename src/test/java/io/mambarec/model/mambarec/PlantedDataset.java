package io.mambarec.model.mambarec;

import io.mambarec.data.Dataset;
import io.mambarec.data.FeatureMatrix;
import io.mambarec.data.Interactions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A made-up dataset with planted multimodal structure: items fall in clusters, every modality's
 * features are a per-cluster centre plus noise, and each user likes one cluster. Half of each
 * cluster's items are "warm" (seen in training); validation and test ask for the cold half, which
 * only the features connect to the rest. Interaction-only models cannot rank cold items;
 * multimodal models can, through the item-item view.
 */
public final class PlantedDataset {

    private PlantedDataset() {}

    public static Dataset create(
            long seed, int users, int clusters, int itemsPerCluster, List<String> modalities, int featureDim) {
        Random random = new Random(seed);
        int items = clusters * itemsPerCluster;
        int warm = itemsPerCluster / 2;
        List<int[]> train = new ArrayList<>();
        List<int[]> valid = new ArrayList<>();
        List<int[]> test = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int cluster = u % clusters;
            int first = cluster * itemsPerCluster;
            int[] warmItems = pick(random, first, warm, Math.min(6, warm));
            for (int i : warmItems) {
                train.add(new int[] {u, i});
            }
            int[] coldItems = pick(random, first + warm, itemsPerCluster - warm, 3);
            valid.add(new int[] {u, coldItems[0]});
            test.add(new int[] {u, coldItems[1]});
            test.add(new int[] {u, coldItems[2]});
        }
        Map<String, FeatureMatrix> features = new LinkedHashMap<>();
        for (String modality : modalities) {
            float[][] centres = new float[clusters][featureDim];
            for (float[] centre : centres) {
                for (int k = 0; k < featureDim; k++) {
                    centre[k] = (float) random.nextGaussian();
                }
            }
            float[] values = new float[items * featureDim];
            for (int i = 0; i < items; i++) {
                for (int k = 0; k < featureDim; k++) {
                    values[i * featureDim + k] = centres[i / itemsPerCluster][k] + 0.3f * (float) random.nextGaussian();
                }
            }
            features.put(modality, new FeatureMatrix(items, featureDim, values));
        }
        return new Dataset(
                "planted",
                ids("u", users),
                ids("i", items),
                interactions(train),
                interactions(valid),
                interactions(test),
                features);
    }

    private static int[] pick(Random random, int first, int range, int count) {
        List<Integer> all =
                new ArrayList<>(IntStream.range(first, first + range).boxed().toList());
        java.util.Collections.shuffle(all, random);
        return all.subList(0, count).stream().mapToInt(Integer::intValue).toArray();
    }

    private static Interactions interactions(List<int[]> pairs) {
        return new Interactions(
                pairs.stream().mapToInt(p -> p[0]).toArray(),
                pairs.stream().mapToInt(p -> p[1]).toArray());
    }

    private static List<String> ids(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(k -> prefix + k).toList();
    }
}
