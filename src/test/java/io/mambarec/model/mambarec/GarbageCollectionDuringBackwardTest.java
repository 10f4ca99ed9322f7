package io.mambarec.model.mambarec;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingBatch;
import io.mambarec.model.TrainingSettings;
import io.mambarec.runtime.DjlEnvironment;
import io.mambarec.testsupport.ForwardingRecommenderModel;
import io.mambarec.training.EpochReport;
import io.mambarec.training.Trainer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Autograd keeps the tensors a backward pass needs, and DJL's PyTorch engine makes a tensor from
 * Java data (a scalar in {@code x.mul(2f)}, say) without copying: it reads a direct buffer that
 * the Java garbage collector frees once the array is closed. A model that lets such a tensor into
 * the autograd graph computes its gradient from freed memory whenever a collection falls between
 * forward and backward (a NaN loss in a TikTok run, now and then). Here one falls there in every
 * batch, and the freed small blocks are refilled with NaN bytes: training must give exactly the
 * numbers it gives without.
 */
class GarbageCollectionDuringBackwardTest {

    private static final Map<String, String> SHORT_RUN =
            Map.of("max_epochs", "3", "batch_size", "256", "learning_rate", "0.01", "patience", "3");

    @ParameterizedTest
    @ValueSource(strings = {"bpr", "lightgcn", "mgcn", "mambarec"})
    void aCollectionBetweenForwardAndBackwardChangesNothing(String name) {
        DjlEnvironment.configureOffline();
        Dataset data = PlantedDataset.create(5, 60, 4, 10, List.of("image", "text"), 16);
        List<Double> quiet = losses(name, data, false);
        List<Double> collected = losses(name, data, true);
        assertThat(collected).allMatch(Double::isFinite).isEqualTo(quiet);
    }

    private static List<Double> losses(String name, Dataset data, boolean collectMidStep) {
        ModelDefinition definition = Models.get(name);
        Hyperparameters hp = definition.resolve(SHORT_RUN);
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = definition.create(data, hp, manager, 3)) {
            RecommenderModel trained = collectMidStep ? new CollectingMidStep(model) : model;
            return new Trainer(TrainingSettings.of(hp), 3)
                    .train(trained, data).history().stream()
                            .map(EpochReport::meanLoss)
                            .toList();
        }
    }

    /** The model, with a garbage collection and a scribble over freed memory after each forward pass. */
    private static final class CollectingMidStep extends ForwardingRecommenderModel {

        CollectingMidStep(RecommenderModel inner) {
            super(inner);
        }

        @Override
        public NDArray trainingLoss(TrainingBatch batch) {
            NDArray loss = super.trainingLoss(batch);
            System.gc();
            try {
                Thread.sleep(20); // the cleaner thread frees the collected direct buffers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // small blocks like the freed scalars' (malloc hands those back first), filled with NaN;
            // they stay allocated until the next collection, after the backward pass
            for (int k = 0; k < 256; k++) {
                ByteBuffer.allocateDirect(8).putFloat(0, Float.NaN).putFloat(4, Float.NaN);
            }
            return loss;
        }
    }
}
