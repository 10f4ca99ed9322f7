package io.mambarec.graph;

import io.mambarec.data.Dataset;

/**
 * The user-item view's graph, built once from the training interactions (each (user, item) pair
 * counted once): A = [[0, R], [R^T, 0]] over U + I nodes and its symmetric normalisation
 * A_hat = D^-1/2 A D^-1/2 (a node of degree zero keeps an all-zero row), and R_hat, the
 * user-item block of A_hat (rows 0..U-1, columns U..U+I-1), which maps item vectors to users.
 *
 * <p>Entry (u, i) of R_hat is 1 / sqrt(deg(u) * deg(i)). MMRec adds 1e-7 to each degree before the
 * power; the difference is below float precision for every non-zero entry.
 */
public final class UserItemGraph {

    private UserItemGraph() {}

    /** A_hat, (U + I) x (U + I): user u is node u, item i is node U + i. */
    public static SparseMatrix normalizedAdjacency(Dataset data) {
        int numUsers = data.numUsers();
        SparseMatrix r = normalizedUserItem(data);
        int nnz = r.nonZeros();
        int[] rows = new int[2 * nnz];
        int[] cols = new int[2 * nnz];
        float[] values = new float[2 * nnz];
        for (int k = 0; k < nnz; k++) {
            rows[k] = r.rowIndex()[k];
            cols[k] = numUsers + r.colIndex()[k];
            values[k] = r.values()[k];
            rows[nnz + k] = numUsers + r.colIndex()[k];
            cols[nnz + k] = r.rowIndex()[k];
            values[nnz + k] = r.values()[k];
        }
        int n = numUsers + data.numItems();
        return new SparseMatrix(n, n, rows, cols, values);
    }

    /** R_hat, U x I: the user-item block of A_hat. */
    public static SparseMatrix normalizedUserItem(Dataset data) {
        int[][] itemsByUser = data.trainItemsByUser();
        int[] itemDegree = new int[data.numItems()];
        int nnz = 0;
        for (int[] items : itemsByUser) {
            nnz += items.length;
            for (int i : items) {
                itemDegree[i]++;
            }
        }
        int[] rows = new int[nnz];
        int[] cols = new int[nnz];
        float[] values = new float[nnz];
        int k = 0;
        for (int u = 0; u < itemsByUser.length; u++) {
            int userDegree = itemsByUser[u].length;
            for (int i : itemsByUser[u]) {
                rows[k] = u;
                cols[k] = i;
                values[k] = (float) (1.0 / Math.sqrt((double) userDegree * itemDegree[i]));
                k++;
            }
        }
        return new SparseMatrix(data.numUsers(), data.numItems(), rows, cols, values);
    }
}
