package io.mambarec.data;

/**
 * A list of (user, item) pairs as two parallel arrays of 0-based indices.
 *
 * @param users user index per interaction
 * @param items item index per interaction
 */
public record Interactions(int[] users, int[] items) {

    public Interactions {
        if (users.length != items.length) {
            throw new IllegalArgumentException("users and items differ in length");
        }
    }

    public static Interactions empty() {
        return new Interactions(new int[0], new int[0]);
    }

    public int size() {
        return users.length;
    }
}
