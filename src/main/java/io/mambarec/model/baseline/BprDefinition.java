package io.mambarec.model.baseline;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.ModelShape;
import io.mambarec.model.ParamRanges;
import io.mambarec.model.ParamSpec;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.nn.ParameterSet;
import java.util.List;

/** {@code bpr}: matrix factorisation with the BPR loss. */
public final class BprDefinition implements ModelDefinition {

    public static final String NAME = "bpr";

    /**
     * MMRec's BPR.yaml grids reg_weight over [2.0 .. 1e-5]; the default here is 1e-4, the setting of
     * the toolbox's BPR run on TikTok and Amazon Baby here, not the grid's first value.
     */
    private static final List<ParamSpec> PARAMS = BaselineParams.with(List.of(
            BaselineParams.embeddingSize(),
            ParamSpec.ofDouble(
                    BaselineParams.REG_WEIGHT,
                    1e-4,
                    ParamRanges.WEIGHT,
                    "weight of the L2-norm regulariser (MMRec EmbLoss) on the batch's user/item embeddings")));

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
        Initializers init = Initializers.of(params, seed);
        int d = params.getInt(BaselineParams.EMBEDDING_SIZE);
        // the toolbox's order: nn.Embedding(users), nn.Embedding(items), then xavier_normal_ on each
        init.skipEmbeddingDefault(data.numUsers(), d);
        init.skipEmbeddingDefault(data.numItems(), d);
        ParameterSet arrays = new ParameterSet(manager.newSubManager(), seed);
        init.xavierNormal(arrays, EmbeddingTablesModel.USER_EMBEDDING, data.numUsers(), d);
        init.xavierNormal(arrays, EmbeddingTablesModel.ITEM_EMBEDDING, data.numItems(), d);
        return new Bpr(params, ModelShape.of(data), arrays);
    }

    @Override
    public RecommenderModel restore(ModelShape shape, Hyperparameters params, NDList state, NDManager manager) {
        ParameterSet arrays =
                EmbeddingTablesModel.zeroTables(new ParameterSet(manager.newSubManager(), 0), shape, params);
        Bpr model = new Bpr(params, shape, arrays);
        model.loadState(state);
        return model;
    }
}
