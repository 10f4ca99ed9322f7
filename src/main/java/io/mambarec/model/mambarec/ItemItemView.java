package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.mambarec.graph.SparseMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * The item-item view of each modality: the gated item embeddings e_m propagate over the
 * modality's kNN graph (e_m <- S_m e_m, one layer by default) and reach the users through R_hat;
 * M_m = [R_hat e_m; e_m].
 */
final class ItemItemView {

    private final List<NDArray> itemGraphs = new ArrayList<>();
    private final NDArray userItem;
    private final int layers;

    ItemItemView(List<SparseMatrix> itemGraphs, SparseMatrix userItem, int layers, NDManager manager) {
        for (SparseMatrix graph : itemGraphs) {
            this.itemGraphs.add(graph.toNDArray(manager));
        }
        this.userItem = userItem.toNDArray(manager);
        this.layers = layers;
    }

    /** M_m, (U + I) x d, for modality slot {@code m} and its gated item embeddings. */
    NDArray propagate(int m, NDArray gatedItems) {
        NDArray items = gatedItems;
        for (int l = 0; l < layers; l++) {
            items = itemGraphs.get(m).matMul(items);
        }
        return userItem.matMul(items).concat(items, 0);
    }
}
