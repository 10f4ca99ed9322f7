package io.mambarec.model.baseline;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.graph.UserItemGraph;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.ModelShape;
import io.mambarec.model.ParamRanges;
import io.mambarec.model.ParamSpec;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.nn.ParameterSet;
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
        ParameterSet arrays = new ParameterSet(manager.newSubManager(), seed);
        init.xavierUniform(arrays, EmbeddingTablesModel.USER_EMBEDDING, data.numUsers(), d);
        init.xavierUniform(arrays, EmbeddingTablesModel.ITEM_EMBEDDING, data.numItems(), d);
        return new LightGcn(params, ModelShape.of(data), arrays, UserItemGraph.normalizedAdjacency(data));
    }

    @Override
    public RecommenderModel restore(ModelShape shape, Hyperparameters params, NDList state, NDManager manager) {
        checkLayers(params);
        ParameterSet arrays =
                EmbeddingTablesModel.zeroTables(new ParameterSet(manager.newSubManager(), 0), shape, params);
        LightGcn model = new LightGcn(params, shape, arrays, LightGcn.savedAdjacency(state, shape));
        model.loadState(state);
        return model;
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
