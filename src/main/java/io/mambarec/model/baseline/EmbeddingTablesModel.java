package io.mambarec.model.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelShape;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.nn.ParameterSet;
import java.util.Map;

/**
 * What BPR and LightGCN share: a user table E_u and an item table E_i (the only trainable
 * parameters) in a {@link ParameterSet}, and the EmbLoss weight. Subclasses add graph buffers.
 */
abstract class EmbeddingTablesModel implements RecommenderModel {

    static final String USER_EMBEDDING = "user_embedding";
    static final String ITEM_EMBEDDING = "item_embedding";

    protected final Hyperparameters params;
    protected final ModelShape shape;
    /** The model's arrays, owned by its own manager (closed with the model). */
    protected final ParameterSet arrays;

    protected final NDArray userEmbedding;
    protected final NDArray itemEmbedding;
    protected final float regWeight;

    /** @param arrays holds {@link #USER_EMBEDDING} and {@link #ITEM_EMBEDDING}, one row per user and item */
    EmbeddingTablesModel(Hyperparameters params, ModelShape shape, ParameterSet arrays) {
        this.userEmbedding = arrays.trainable().get(USER_EMBEDDING);
        this.itemEmbedding = arrays.trainable().get(ITEM_EMBEDDING);
        if (userEmbedding.getShape().get(0) != shape.numUsers()
                || itemEmbedding.getShape().get(0) != shape.numItems()) {
            throw new IllegalArgumentException("embedding tables " + userEmbedding.getShape() + ", "
                    + itemEmbedding.getShape() + " do not match " + shape.numUsers() + " users and "
                    + shape.numItems() + " items");
        }
        this.params = params;
        this.shape = shape;
        this.arrays = arrays;
        this.regWeight = (float) params.getDouble(BaselineParams.REG_WEIGHT);
    }

    /** Adds zero tables of the sizes {@code shape} and {@code params} give: the tables a saved state is loaded into. */
    static ParameterSet zeroTables(ParameterSet arrays, ModelShape shape, Hyperparameters params) {
        int d = params.getInt(BaselineParams.EMBEDDING_SIZE);
        arrays.constant(USER_EMBEDDING, new Shape(shape.numUsers(), d), 0f);
        arrays.constant(ITEM_EMBEDDING, new Shape(shape.numItems(), d), 0f);
        return arrays;
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
        return arrays.trainable();
    }

    @Override
    public NDList state() {
        return arrays.state();
    }

    @Override
    public void loadState(NDList state) {
        arrays.load(state);
    }

    @Override
    public void close() {
        arrays.manager().close();
    }
}
