package io.mambarec.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Map;

/**
 * A graph or matrix-factorisation recommender trained with BPR on the whole graph (BPR, LightGCN,
 * MGCN, MambaRec). The trainer drives it; the evaluator and the service use its embeddings.
 *
 * <p>Memory contract: the model owns its parameters, buffers and graphs in the manager it was
 * created with. {@link #trainingLoss} is called inside a {@code GradientCollector} and an
 * {@code NDScope} opened by the trainer, so every intermediate array it makes is closed with the
 * batch. {@link #embeddings} closes its own intermediates.
 */
public interface RecommenderModel extends AutoCloseable {

    /** The model's name as the command line knows it ({@code bpr}, {@code lightgcn}, ...). */
    String name();

    Hyperparameters hyperparameters();

    ModelShape shape();

    /**
     * Forward pass in training mode (dropout on, batch statistics) and the full training loss of
     * one batch: BPR plus the model's regularisers and auxiliary losses. A scalar.
     */
    NDArray trainingLoss(TrainingBatch batch);

    /** Trainable parameters by unique name; the trainer applies Adam to each. */
    Map<String, NDArray> trainableParameters();

    /** Forward pass in evaluation mode (no dropout, running statistics, no gradient). */
    Embeddings embeddings();

    /**
     * Everything needed to rebuild the model without its dataset: parameters, running
     * statistics and graph buffers, each array named. The arrays are the model's own (not
     * copies): callers that keep them must duplicate them.
     */
    NDList state();

    /** Copies the values of a {@link #state()} (same names and shapes) into this model. */
    void loadState(NDList state);

    @Override
    void close();
}
