package io.mambarec.serving;

import io.mambarec.data.Dataset;
import io.mambarec.data.FeatureMatrix;
import io.mambarec.data.Interactions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A small SYNTHETIC multimodal catalogue for the zero-configuration start (not real data):
 * 400 users, 240 items, two modalities ("image" 32-d, "text" 24-d), generated from a fixed seed.
 *
 * <p>Planted structure: 8 latent tastes. Item i belongs to taste i mod 8; each modality's vector
 * is that taste's centroid plus noise, so both modalities carry the taste. User u mostly likes
 * taste u mod 8 (70% of their items), partly a second taste (20%), the rest at random; 12 to 20
 * distinct items each, the last 10% (at least one) as test, the 10% before as validation.
 */
public final class SyntheticDemoDataset {

    public static final String NAME = "synthetic-demo";
    public static final long SEED = 20251110L;
    public static final int USERS = 400;
    public static final int ITEMS = 240;
    public static final int TASTES = 8;

    private SyntheticDemoDataset() {}

    public static String description() {
        return "SYNTHETIC demo catalogue (generated, not real data): " + USERS + " users, " + ITEMS
                + " items, modalities image(32) and text(24), " + TASTES + " planted tastes, seed " + SEED;
    }

    public static Dataset generate() {
        Random random = new Random(SEED);
        Map<String, FeatureMatrix> features = new LinkedHashMap<>();
        features.put("image", modality(random, 32));
        features.put("text", modality(random, 24));

        List<Integer> trainU = new ArrayList<>();
        List<Integer> trainI = new ArrayList<>();
        List<Integer> validU = new ArrayList<>();
        List<Integer> validI = new ArrayList<>();
        List<Integer> testU = new ArrayList<>();
        List<Integer> testI = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            int main = u % TASTES;
            int second = (3 * u + 1) % TASTES;
            int n = 12 + random.nextInt(9);
            Set<Integer> items = new LinkedHashSet<>();
            while (items.size() < n) {
                double p = random.nextDouble();
                int taste = p < 0.7 ? main : p < 0.9 ? second : random.nextInt(TASTES);
                items.add(taste + TASTES * random.nextInt(ITEMS / TASTES));
            }
            List<Integer> ordered = new ArrayList<>(items);
            int test = Math.max(1, n / 10);
            int valid = Math.max(1, n / 10);
            for (int k = 0; k < n; k++) {
                int item = ordered.get(k);
                if (k >= n - test) {
                    testU.add(u);
                    testI.add(item);
                } else if (k >= n - test - valid) {
                    validU.add(u);
                    validI.add(item);
                } else {
                    trainU.add(u);
                    trainI.add(item);
                }
            }
        }
        List<String> users = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            users.add(String.format("demo-user-%04d", u));
        }
        List<String> itemIds = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            itemIds.add(String.format("demo-item-%04d", i));
        }
        return new Dataset(
                NAME,
                users,
                itemIds,
                interactions(trainU, trainI),
                interactions(validU, validI),
                interactions(testU, testI),
                features);
    }

    /** Item i: the centroid of taste i mod 8 plus Gaussian noise (sd 0.5 against unit-variance centroids). */
    private static FeatureMatrix modality(Random random, int dim) {
        float[][] centroids = new float[TASTES][dim];
        for (float[] c : centroids) {
            for (int d = 0; d < dim; d++) {
                c[d] = (float) random.nextGaussian();
            }
        }
        float[] values = new float[ITEMS * dim];
        for (int i = 0; i < ITEMS; i++) {
            for (int d = 0; d < dim; d++) {
                values[i * dim + d] = centroids[i % TASTES][d] + (float) (0.5 * random.nextGaussian());
            }
        }
        return new FeatureMatrix(ITEMS, dim, values);
    }

    private static Interactions interactions(List<Integer> users, List<Integer> items) {
        return new Interactions(
                users.stream().mapToInt(Integer::intValue).toArray(),
                items.stream().mapToInt(Integer::intValue).toArray());
    }
}
