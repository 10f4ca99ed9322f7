package io.mambarec.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A small dataset with structure a recommender can learn: users and items fall into clusters and
 * every user interacts only with items of its own cluster (split 0/1/2 per user).
 */
public final class SyntheticData {

    public static final int USERS = 240;
    public static final int ITEMS = 120;
    public static final int CLUSTERS = 6;
    private static final int TRAIN_PER_USER = 8;
    private static final int VALID_PER_USER = 2;
    private static final int TEST_PER_USER = 2;

    private SyntheticData() {}

    /** Rows of (user, item, label). */
    public static List<int[]> rows(long seed) {
        Random random = new Random(seed);
        int itemsPerCluster = ITEMS / CLUSTERS;
        List<int[]> rows = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            int cluster = u % CLUSTERS;
            List<Integer> items = new ArrayList<>(IntStream.range(0, itemsPerCluster)
                    .map(k -> cluster * itemsPerCluster + k)
                    .boxed()
                    .toList());
            java.util.Collections.shuffle(items, random);
            for (int k = 0; k < TRAIN_PER_USER + VALID_PER_USER + TEST_PER_USER; k++) {
                int label = k < TRAIN_PER_USER ? 0 : k < TRAIN_PER_USER + VALID_PER_USER ? 1 : 2;
                rows.add(new int[] {u, items.get(k), label});
            }
        }
        return rows;
    }

    public static Dataset dataset(long seed) {
        List<int[]> rows = rows(seed);
        List<List<int[]>> splits = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        rows.forEach(r -> splits.get(r[2]).add(r));
        Interactions[] interactions = new Interactions[3];
        for (int s = 0; s < 3; s++) {
            List<int[]> split = splits.get(s);
            interactions[s] = new Interactions(
                    split.stream().mapToInt(r -> r[0]).toArray(),
                    split.stream().mapToInt(r -> r[1]).toArray());
        }
        return new Dataset(
                "synthetic", ids(USERS), ids(ITEMS), interactions[0], interactions[1], interactions[2], Map.of());
    }

    /** Writes the dataset as an MMRec folder {@code parent/synthetic} and returns it. */
    public static Path writeFolder(Path parent, long seed) {
        Path dir = parent.resolve("synthetic");
        StringBuilder text = new StringBuilder("userID\titemID\trating\ttimestamp\tx_label\n");
        for (int[] r : rows(seed)) {
            text.append(r[0])
                    .append('\t')
                    .append(r[1])
                    .append("\t1\t0\t")
                    .append(r[2])
                    .append('\n');
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("synthetic.inter"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static List<String> ids(int n) {
        return IntStream.range(0, n).mapToObj(Integer::toString).toList();
    }
}
