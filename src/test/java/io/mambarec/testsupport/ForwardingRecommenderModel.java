package io.mambarec.testsupport;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.mambarec.model.Embeddings;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelShape;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingBatch;
import java.util.Map;

/** A model that hands every call to another one; tests override the call they want to change. */
public abstract class ForwardingRecommenderModel implements RecommenderModel {

    private final RecommenderModel inner;

    protected ForwardingRecommenderModel(RecommenderModel inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public Hyperparameters hyperparameters() {
        return inner.hyperparameters();
    }

    @Override
    public ModelShape shape() {
        return inner.shape();
    }

    @Override
    public NDArray trainingLoss(TrainingBatch batch) {
        return inner.trainingLoss(batch);
    }

    @Override
    public Map<String, NDArray> trainableParameters() {
        return inner.trainableParameters();
    }

    @Override
    public Embeddings embeddings() {
        return inner.embeddings();
    }

    @Override
    public NDList state() {
        return inner.state();
    }

    @Override
    public void loadState(NDList state) {
        inner.loadState(state);
    }

    @Override
    public void close() {
        inner.close();
    }
}
