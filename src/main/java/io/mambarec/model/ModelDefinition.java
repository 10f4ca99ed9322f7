package io.mambarec.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import java.util.List;

/** How to make one kind of model: its name, its settable parameters, and its constructors. */
public interface ModelDefinition {

    /** {@code bpr}, {@code lightgcn}, {@code mgcn} or {@code mambarec}. */
    String name();

    /** Every key settable with {@code --param}: the model's own and the training settings. */
    List<ParamSpec> params();

    /** A freshly initialised model for {@code data} (graphs built from its training split). */
    RecommenderModel create(Dataset data, Hyperparameters params, NDManager manager, long seed);

    /** A trained model rebuilt from a saved {@link RecommenderModel#state()}. */
    RecommenderModel restore(ModelShape shape, Hyperparameters params, NDList state, NDManager manager);

    default Hyperparameters resolve(java.util.Map<String, String> overrides) {
        return Hyperparameters.resolve(params(), overrides);
    }
}
