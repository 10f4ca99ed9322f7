package io.mambarec.data;

/**
 * A list of (user, item) pairs as two parallel arrays of 0-based indices, with an optional
 * sampling weight per pair (null: every pair weighs 1; see training.WeightedPositives).
 *
 * @param users user index per interaction
 * @param items item index per interaction
 * @param weights weight in (0, 1] per interaction, or null
 */
public record Interactions(int[] users, int[] items, float[] weights) {

    public Interactions {
        if (users.length != items.length) {
            throw new IllegalArgumentException("users and items differ in length");
        }
        if (weights != null && weights.length != users.length) {
            throw new IllegalArgumentException("weights and users differ in length");
        }
    }

    public Interactions(int[] users, int[] items) {
        this(users, items, null);
    }

    public static Interactions empty() {
        return new Interactions(new int[0], new int[0]);
    }

    public int size() {
        return users.length;
    }
}
