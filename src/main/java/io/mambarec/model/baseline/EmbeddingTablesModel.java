package io.mambarec.model.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelShape;
import io.mambarec.model.RecommenderModel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What BPR and LightGCN share: a user table E_u and an item table E_i (the only trainable
 * parameters) and the EmbLoss weight. Subclasses add graph buffers to the state.
 */
abstract class EmbeddingTablesModel implements RecommenderModel {

    static final String USER_EMBEDDING = "user_embedding";
    static final String ITEM_EMBEDDING = "item_embedding";

    protected final Hyperparameters params;
    protected final ModelShape shape;
    protected final NDArray userEmbedding;
    protected final NDArray itemEmbedding;
    protected final float regWeight;

    EmbeddingTablesModel(Hyperparameters params, ModelShape shape, NDArray userEmbedding, NDArray itemEmbedding) {
        if (userEmbedding.getShape().get(0) != shape.numUsers()
                || itemEmbedding.getShape().get(0) != shape.numItems()) {
            throw new IllegalArgumentException("embedding tables " + userEmbedding.getShape() + ", "
                    + itemEmbedding.getShape() + " do not match " + shape.numUsers() + " users and "
                    + shape.numItems() + " items");
        }
        this.params = params;
        this.shape = shape;
        this.userEmbedding = userEmbedding;
        this.itemEmbedding = itemEmbedding;
        this.regWeight = (float) params.getDouble(BaselineParams.REG_WEIGHT);
    }

    @Override
    public Hyperparameters hyperparameters() {
        return params;
    }

    @Override
    public ModelShape shape() {
        return shape;
    }

    protected int dim() {
        return (int) userEmbedding.getShape().get(1);
    }

    @Override
    public Map<String, NDArray> trainableParameters() {
        Map<String, NDArray> parameters = new LinkedHashMap<>();
        parameters.put(USER_EMBEDDING, userEmbedding);
        parameters.put(ITEM_EMBEDDING, itemEmbedding);
        return parameters;
    }

    @Override
    public NDList state() {
        return new NDList(userEmbedding, itemEmbedding);
    }

    @Override
    public void loadState(NDList state) {
        ModelStates.copyByName(state(), state);
    }

    @Override
    public void close() {
        state().forEach(NDArray::close);
    }
}
