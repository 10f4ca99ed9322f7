package io.mambarec.model.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.graph.SparseMatrix;
import io.mambarec.graph.UserItemGraph;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.ModelShape;
import io.mambarec.model.ParamRanges;
import io.mambarec.model.ParamSpec;
import io.mambarec.model.RecommenderModel;
import java.util.List;

/** {@code lightgcn}: LightGCN on the normalised user-item graph. */
public final class LightGcnDefinition implements ModelDefinition {

    public static final String NAME = "lightgcn";
    static final String LAYERS = "layers";

    /** Defaults: the first values of MMRec's LightGCN.yaml grids (n_layers [1..4], reg_weight [1e-2..1e-6]). */
    private static final List<ParamSpec> PARAMS = BaselineParams.with(List.of(
            BaselineParams.embeddingSize(),
            ParamSpec.ofInt(
                    LAYERS,
                    1,
                    ParamRanges.LAYERS,
                    "propagation layers over the normalised user-item graph (MMRec n_layers)"),
            ParamSpec.ofDouble(
                    BaselineParams.REG_WEIGHT,
                    1e-2,
                    ParamRanges.WEIGHT,
                    "weight of the L2-norm regulariser (MMRec EmbLoss) on the batch's ego embeddings")));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ParamSpec> params() {
        return PARAMS;
    }

    @Override
    public RecommenderModel create(Dataset data, Hyperparameters params, NDManager manager, long seed) {
        checkLayers(params);
        Initializers init = Initializers.of(params, seed);
        int d = params.getInt(BaselineParams.EMBEDDING_SIZE);
        NDArray users = init.xavierUniform(manager, data.numUsers(), d, EmbeddingTablesModel.USER_EMBEDDING);
        NDArray items = init.xavierUniform(manager, data.numItems(), d, EmbeddingTablesModel.ITEM_EMBEDDING);
        SparseMatrix adjacency = UserItemGraph.normalizedAdjacency(data);
        return new LightGcn(
                params,
                ModelShape.of(data),
                users,
                items,
                adjacency.toNDArray(manager),
                ModelStates.graphArrays(adjacency, manager, LightGcn.ADJACENCY));
    }

    @Override
    public RecommenderModel restore(ModelShape shape, Hyperparameters params, NDList state, NDManager manager) {
        checkLayers(params);
        int nodes = shape.numUsers() + shape.numItems();
        NDArray adjacency = ModelStates.sparseFrom(state, LightGcn.ADJACENCY, nodes, manager);
        NDList graph = new NDList(
                ModelStates.require(state, LightGcn.ADJACENCY + ".indices"),
                ModelStates.require(state, LightGcn.ADJACENCY + ".values"));
        return new LightGcn(
                params,
                shape,
                BprDefinition.trainable(ModelStates.require(state, EmbeddingTablesModel.USER_EMBEDDING)),
                BprDefinition.trainable(ModelStates.require(state, EmbeddingTablesModel.ITEM_EMBEDDING)),
                adjacency,
                graph);
    }

    private static void checkLayers(Hyperparameters params) {
        if (params.getInt(LAYERS) < 0) {
            throw new IllegalArgumentException("layers must be >= 0, not " + params.getInt(LAYERS));
        }
        if (params.getInt(BaselineParams.EMBEDDING_SIZE) <= 0) {
            throw new IllegalArgumentException("embedding_size must be positive");
        }
    }
}
