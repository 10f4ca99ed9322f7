package io.mambarec.data;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-memory dataset every model trains on: users and items as 0-based indices (with their
 * external ids), the three splits, and one feature matrix per modality.
 *
 * <p>Invariant (enforced by the constructor): every index is in range, every feature matrix has
 * one row per item, validation and test hold only users that appear in training (MMRec drops the
 * others). Modalities keep their order: the first is the "visual" slot, the second the
 * "textual" (or acoustic) slot of MambaRec.
 */
public final class Dataset {

    private final String name;
    private final List<String> userIds;
    private final List<String> itemIds;
    private final Interactions train;
    private final Interactions valid;
    private final Interactions test;
    private final Map<String, FeatureMatrix> features;
    private final int[][] trainItemsByUser;

    public Dataset(
            String name,
            List<String> userIds,
            List<String> itemIds,
            Interactions train,
            Interactions valid,
            Interactions test,
            Map<String, FeatureMatrix> features) {
        this.name = name;
        this.userIds = List.copyOf(userIds);
        this.itemIds = List.copyOf(itemIds);
        this.train = train;
        this.valid = valid;
        this.test = test;
        this.features = Collections.unmodifiableMap(new LinkedHashMap<>(features));
        for (Interactions split : List.of(train, valid, test)) {
            checkRange(split);
        }
        features.forEach((modality, matrix) -> {
            if (matrix.rows() != itemIds.size()) {
                throw new IllegalArgumentException("modality " + modality + " has " + matrix.rows()
                        + " feature rows for " + itemIds.size() + " items");
            }
        });
        this.trainItemsByUser = groupByUser(train, userIds.size());
        for (Interactions split : List.of(valid, test)) {
            for (int u : split.users()) {
                if (trainItemsByUser[u].length == 0) {
                    throw new IllegalArgumentException(
                            "user " + userIds.get(u) + " is evaluated but has no training interaction");
                }
            }
        }
    }

    private void checkRange(Interactions split) {
        for (int k = 0; k < split.size(); k++) {
            int u = split.users()[k];
            int i = split.items()[k];
            if (u < 0 || u >= userIds.size() || i < 0 || i >= itemIds.size()) {
                throw new IllegalArgumentException("interaction (" + u + ", " + i + ") is out of range");
            }
        }
    }

    /** Sorted, de-duplicated item indices per user. */
    public static int[][] groupByUser(Interactions interactions, int numUsers) {
        int[] counts = new int[numUsers];
        for (int u : interactions.users()) {
            counts[u]++;
        }
        int[][] byUser = new int[numUsers][];
        for (int u = 0; u < numUsers; u++) {
            byUser[u] = new int[counts[u]];
        }
        int[] fill = new int[numUsers];
        for (int k = 0; k < interactions.size(); k++) {
            int u = interactions.users()[k];
            byUser[u][fill[u]++] = interactions.items()[k];
        }
        for (int u = 0; u < numUsers; u++) {
            byUser[u] = Arrays.stream(byUser[u]).sorted().distinct().toArray();
        }
        return byUser;
    }

    public String name() {
        return name;
    }

    public int numUsers() {
        return userIds.size();
    }

    public int numItems() {
        return itemIds.size();
    }

    public List<String> userIds() {
        return userIds;
    }

    public List<String> itemIds() {
        return itemIds;
    }

    public Interactions train() {
        return train;
    }

    public Interactions valid() {
        return valid;
    }

    public Interactions test() {
        return test;
    }

    public Interactions split(Split split) {
        return switch (split) {
            case TRAIN -> train;
            case VALID -> valid;
            case TEST -> test;
        };
    }

    /** Modality name (e.g. "image", "text", "audio") to its item feature matrix, in slot order. */
    public Map<String, FeatureMatrix> features() {
        return features;
    }

    /** Sorted training items of each user (shared array: do not modify). */
    public int[][] trainItemsByUser() {
        return trainItemsByUser;
    }
}
