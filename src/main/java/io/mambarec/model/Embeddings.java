package io.mambarec.model;

/**
 * The final user and item representations of a trained model (MambaRec's Z, split into user and
 * item rows). Every model in this project scores by inner product: score(u, i) = z_u . z_i.
 *
 * @param numUsers rows of {@code users}
 * @param numItems rows of {@code items}
 * @param dim embedding size
 * @param users numUsers * dim, row-major
 * @param items numItems * dim, row-major
 */
public record Embeddings(int numUsers, int numItems, int dim, float[] users, float[] items) {

    public Embeddings {
        if (users.length != (long) numUsers * dim || items.length != (long) numItems * dim) {
            throw new IllegalArgumentException(
                    "embedding arrays do not match " + numUsers + " users, " + numItems + " items, dimension " + dim);
        }
    }

    public double score(int user, int item) {
        double s = 0;
        int uo = user * dim;
        int io = item * dim;
        for (int k = 0; k < dim; k++) {
            s += users[uo + k] * items[io + k];
        }
        return s;
    }
}
