package io.mambarec.model.mambarec;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.ModelShape;
import io.mambarec.model.ParamRanges;
import io.mambarec.model.ParamSpec;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingSettings;
import io.mambarec.model.mambarec.MambaRecConfig.Keys;
import java.util.ArrayList;
import java.util.List;

/**
 * A model definition of the MambaRec family ({@code mambarec}, {@code mgcn}): one {@link MambaRec}
 * network, configured from the model's own parameters.
 */
public abstract class GraphRecommenderDefinition implements ModelDefinition {

    private final List<ParamSpec> params;

    /**
     * @param own the model's parameters after the shared ones
     * @param userItemLayers default user-item layers
     * @param patience default early-stopping patience
     * @param scalableLrFactor default factor on the learning rate in the scalable loop
     */
    protected GraphRecommenderDefinition(
            List<ParamSpec> own, int userItemLayers, int patience, double scalableLrFactor) {
        List<ParamSpec> all = new ArrayList<>(List.of(
                ParamSpec.ofInt(Keys.EMBEDDING_SIZE, 64, ParamRanges.EMBEDDING_SIZE, "embedding size d"),
                ParamSpec.ofInt(
                        Keys.LAYERS,
                        userItemLayers,
                        ParamRanges.LAYERS,
                        "user-item graph layers (the authors' n_ui_layers)"),
                ParamSpec.ofInt(Keys.ITEM_LAYERS, 1, ParamRanges.LAYERS, "item-item graph layers (n_layers)"),
                ParamSpec.ofInt(
                        Keys.KNN_K,
                        10,
                        ParamRanges.NEIGHBOURS,
                        "neighbours per item in each modality's kNN graph, the item included"),
                ParamSpec.ofDouble(Keys.REG_WEIGHT, 1e-4, ParamRanges.WEIGHT, "BPR embedding regulariser weight"),
                ParamSpec.ofBoolean(
                        Keys.CL, true, "InfoNCE between the side view and the user-item view (false: ablation)"),
                ParamSpec.ofDouble(Keys.CL_WEIGHT, 0.01, ParamRanges.WEIGHT, "InfoNCE weight (the authors' cl_loss)"),
                ParamSpec.ofDouble(Keys.CL_TEMPERATURE, 0.2, ParamRanges.POSITIVE, "InfoNCE temperature tau")));
        all.addAll(own);
        for (ParamSpec spec : TrainingSettings.PARAMS) {
            all.add(
                    switch (spec.key()) {
                        case TrainingSettings.PATIENCE -> spec.withDefault(patience);
                        case TrainingSettings.SCALABLE_LR_FACTOR -> spec.withDefault(scalableLrFactor);
                        default -> spec;
                    });
        }
        this.params = List.copyOf(all);
    }

    /** The network's configuration from resolved parameters. */
    protected abstract MambaRecConfig config(Hyperparameters params);

    @Override
    public final List<ParamSpec> params() {
        return params;
    }

    @Override
    public final RecommenderModel create(Dataset data, Hyperparameters params, NDManager manager, long seed) {
        return MambaRec.create(name(), params, config(params), data, manager, seed);
    }

    @Override
    public final RecommenderModel restore(ModelShape shape, Hyperparameters params, NDList state, NDManager manager) {
        return MambaRec.restore(name(), params, config(params), shape, state, manager);
    }
}
