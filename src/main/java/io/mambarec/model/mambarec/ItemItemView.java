package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.mambarec.graph.CsrMatrix;
import io.mambarec.graph.SparseMatrix;
import io.mambarec.model.nn.Rows;
import io.mambarec.model.nn.SparseOperator;
import io.mambarec.runtime.SparseDenseProduct;
import java.util.ArrayList;
import java.util.List;

/**
 * The item-item view of each modality: the gated item embeddings e_m propagate over the
 * modality's kNN graph (e_m <- S_m e_m, one layer by default) and reach the users through R_hat;
 * M_m = [R_hat e_m; e_m].
 */
final class ItemItemView {

    private final List<SparseOperator> itemGraphs = new ArrayList<>();
    private final CsrMatrix userItemRows;
    private final SparseOperator userItem;
    private final SparseDenseProduct product;
    private final int layers;

    ItemItemView(
            List<SparseMatrix> itemGraphs,
            SparseMatrix userItem,
            int layers,
            SparseDenseProduct product,
            NDManager manager) {
        for (SparseMatrix graph : itemGraphs) {
            this.itemGraphs.add(new SparseOperator(CsrMatrix.of(graph), product, manager));
        }
        this.userItemRows = CsrMatrix.of(userItem);
        this.userItem = new SparseOperator(userItemRows, product, manager);
        this.product = product;
        this.layers = layers;
    }

    /** M_m, (U + I) x d, for each modality slot m and its gated item embeddings. */
    List<NDArray> propagate(List<NDArray> gatedItems) {
        List<NDArray> views = new ArrayList<>(gatedItems.size());
        for (int m = 0; m < gatedItems.size(); m++) {
            NDArray items = overItemGraph(m, gatedItems.get(m));
            views.add(userItem.times(items).concat(items, 0));
        }
        return views;
    }

    /**
     * M_m at the batch's nodes only (rows in {@link BatchNodes#nodeIds} order): its users' rows of
     * R_hat e_m, from those users' rows of R_hat alone, then its items' rows of e_m.
     */
    List<NDArray> propagateAt(List<NDArray> gatedItems, BatchNodes nodes) {
        SparseOperator batchUserItem =
                new SparseOperator(userItemRows.selectRows(nodes.userIds()), product, nodes.manager());
        NDArray batchItems = nodes.itemIndices();
        List<NDArray> views = new ArrayList<>(gatedItems.size());
        for (int m = 0; m < gatedItems.size(); m++) {
            NDArray items = overItemGraph(m, gatedItems.get(m));
            views.add(batchUserItem.times(items).concat(Rows.of(items, batchItems), 0));
        }
        return views;
    }

    /** e_m after the item-item layers over S_m. */
    private NDArray overItemGraph(int m, NDArray gatedItems) {
        NDArray items = gatedItems;
        for (int l = 0; l < layers; l++) {
            items = itemGraphs.get(m).times(items);
        }
        return items;
    }
}
