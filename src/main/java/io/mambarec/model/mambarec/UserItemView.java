package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.mambarec.graph.SparseMatrix;
import io.mambarec.model.nn.Scalars;

/**
 * The user-item view (LightGCN propagation): X_0 = [E_u; E_i], X_{l+1} = A_hat X_l,
 * H = mean(X_0 .. X_L), with A_hat a sparse tensor multiplied on the whole graph every step.
 */
final class UserItemView {

    private final NDArray adjacency;
    private final int layers;

    UserItemView(SparseMatrix adjacency, int layers, NDManager manager) {
        this.adjacency = adjacency.toNDArray(manager);
        this.layers = layers;
    }

    /** H, (U + I) x d. */
    NDArray propagate(NDArray userEmbedding, NDArray itemEmbedding) {
        NDArray x = userEmbedding.concat(itemEmbedding, 0);
        NDArray sum = x;
        for (int l = 0; l < layers; l++) {
            x = adjacency.matMul(x);
            sum = sum.add(x);
        }
        return Scalars.dividedBy(sum, layers + 1);
    }
}
