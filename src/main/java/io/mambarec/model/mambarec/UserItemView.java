package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.mambarec.graph.SparseMatrix;
import io.mambarec.graph.SparseRows;
import io.mambarec.model.nn.Rows;
import io.mambarec.model.nn.Scalars;

/**
 * The user-item view (LightGCN propagation): X_0 = [E_u; E_i], X_{l+1} = A_hat X_l,
 * H = mean(X_0 .. X_L), with A_hat a sparse tensor multiplied on the whole graph every step.
 */
final class UserItemView {

    private final NDArray adjacency;
    private final SparseRows adjacencyRows;
    private final int layers;

    UserItemView(SparseMatrix adjacency, int layers, NDManager manager) {
        this.adjacency = adjacency.toNDArray(manager);
        this.adjacencyRows = new SparseRows(adjacency);
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

    /**
     * H at the batch's nodes only (rows in {@link BatchNodes#nodeIds} order): the layers up to
     * L - 1 over the whole graph, the last one, X_L = A_hat X_{L-1}, from those nodes' rows of
     * A_hat alone (the same entries, summed in the same order).
     */
    NDArray propagateAt(NDArray userEmbedding, NDArray itemEmbedding, BatchNodes nodes) {
        NDArray x = userEmbedding.concat(itemEmbedding, 0);
        NDArray sum = x;
        for (int l = 0; l < layers - 1; l++) {
            x = adjacency.matMul(x);
            sum = sum.add(x);
        }
        NDArray atNodes = Rows.of(sum, nodes.nodeIndices());
        if (layers > 0) {
            NDArray lastLayer = adjacencyRows
                    .select(nodes.nodeIds())
                    .toNDArray(nodes.manager())
                    .matMul(x);
            atNodes = atNodes.add(lastLayer);
        }
        return Scalars.dividedBy(atNodes, layers + 1);
    }
}
