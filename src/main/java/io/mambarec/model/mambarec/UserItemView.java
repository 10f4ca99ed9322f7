package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.mambarec.graph.CsrMatrix;
import io.mambarec.graph.SparseMatrix;
import io.mambarec.model.nn.Rows;
import io.mambarec.model.nn.Scalars;
import io.mambarec.model.nn.SparseOperator;
import io.mambarec.runtime.SparseDenseProduct;

/**
 * The user-item view (LightGCN propagation): X_0 = [E_u; E_i], X_{l+1} = A_hat X_l,
 * H = mean(X_0 .. X_L), with A_hat a sparse (CSR) matrix multiplied on the whole graph every step.
 */
final class UserItemView {

    private final CsrMatrix adjacencyRows;
    private final SparseOperator adjacency;
    private final SparseDenseProduct product;
    private final int layers;

    UserItemView(SparseMatrix adjacency, int layers, SparseDenseProduct product, NDManager manager) {
        this.adjacencyRows = CsrMatrix.of(adjacency);
        this.adjacency = new SparseOperator(adjacencyRows, product, manager);
        this.product = product;
        this.layers = layers;
    }

    /** H, (U + I) x d. */
    NDArray propagate(NDArray userEmbedding, NDArray itemEmbedding) {
        NDArray x = userEmbedding.concat(itemEmbedding, 0);
        NDArray sum = x;
        for (int l = 0; l < layers; l++) {
            x = adjacency.times(x);
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
            x = adjacency.times(x);
            sum = sum.add(x);
        }
        NDArray atNodes = Rows.of(sum, nodes.nodeIndices());
        if (layers > 0) {
            SparseOperator nodeRows =
                    new SparseOperator(adjacencyRows.selectRows(nodes.nodeIds()), product, nodes.manager());
            atNodes = atNodes.add(nodeRows.times(x));
        }
        return Scalars.dividedBy(atNodes, layers + 1);
    }
}
