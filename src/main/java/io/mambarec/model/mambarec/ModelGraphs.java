package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.FeatureMatrix;
import io.mambarec.graph.ItemKnnGraph;
import io.mambarec.graph.SparseMatrix;
import io.mambarec.graph.UserItemGraph;
import io.mambarec.model.ModelShape;
import io.mambarec.model.nn.GraphBuffers;
import io.mambarec.model.nn.ParameterSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The graphs of the two views, built once: A_hat and R_hat (user-item view) from the training
 * interactions, and one normalised kNN item-item graph S_m per modality from the raw features.
 * Saved with the model ({@link GraphBuffers}), so a restored model needs no dataset.
 *
 * @param adjacency A_hat, (U + I) x (U + I)
 * @param userItem R_hat, U x I
 * @param itemItem S_m per modality, I x I, in slot order
 */
record ModelGraphs(SparseMatrix adjacency, SparseMatrix userItem, Map<String, SparseMatrix> itemItem) {

    /**
     * The kNN graphs built so far, by features and k. A search creates a model for every rung of every
     * point on the same data, with k one of a few values: each graph is built once (the I x I cosine
     * similarities in blocks of 1,024 rows, and their top k), not once per model. Weak keys: the graphs
     * go with their dataset. A key is the features' record, whose array compares by identity.
     */
    private static final Map<FeatureMatrix, Map<Integer, SparseMatrix>> KNN_GRAPHS =
            Collections.synchronizedMap(new WeakHashMap<>());

    static ModelGraphs build(Dataset data, int knnK, NDManager manager) {
        Map<String, SparseMatrix> itemItem = new LinkedHashMap<>();
        for (Map.Entry<String, FeatureMatrix> modality : data.features().entrySet()) {
            itemItem.put(modality.getKey(), itemKnn(modality.getValue(), knnK, manager));
        }
        return new ModelGraphs(
                UserItemGraph.normalizedAdjacency(data), UserItemGraph.normalizedUserItem(data), itemItem);
    }

    /** The kNN graph of {@code features}, built on first use ({@link ItemKnnGraph#build}); never modified. */
    static SparseMatrix itemKnn(FeatureMatrix features, int k, NDManager manager) {
        return KNN_GRAPHS
                .computeIfAbsent(features, f -> new ConcurrentHashMap<>())
                .computeIfAbsent(k, key -> ItemKnnGraph.build(features, key, manager));
    }

    /** The graphs stored in a saved state by {@link #register}. */
    static ModelGraphs fromState(NDList state, ModelShape shape) {
        int nodes = shape.numUsers() + shape.numItems();
        Map<String, SparseMatrix> itemItem = new LinkedHashMap<>();
        for (String modality : shape.modalityDims().keySet()) {
            itemItem.put(
                    modality, GraphBuffers.read(state, "item_item." + modality, shape.numItems(), shape.numItems()));
        }
        return new ModelGraphs(
                GraphBuffers.read(state, "adjacency", nodes, nodes),
                GraphBuffers.read(state, "user_item", shape.numUsers(), shape.numItems()),
                itemItem);
    }

    /** Registers the graphs as fixed buffers of {@code params}, for {@code state()}. */
    void register(ParameterSet params) {
        GraphBuffers.register(params, "adjacency", adjacency);
        GraphBuffers.register(params, "user_item", userItem);
        itemItem.forEach((modality, graph) -> GraphBuffers.register(params, "item_item." + modality, graph));
    }

    List<SparseMatrix> itemItemInSlotOrder() {
        return new ArrayList<>(itemItem.values());
    }
}
