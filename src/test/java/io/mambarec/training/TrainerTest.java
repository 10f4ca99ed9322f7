package io.mambarec.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.Split;
import io.mambarec.data.SyntheticData;
import io.mambarec.evaluation.FullRankingEvaluator;
import io.mambarec.model.Embeddings;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingBatch;
import io.mambarec.model.TrainingSettings;
import io.mambarec.testsupport.ForwardingRecommenderModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The loop end to end on a small clustered dataset, for each interaction-only model. */
class TrainerTest {

    private static final Dataset DATA = SyntheticData.dataset(7);

    private static Hyperparameters params(String model, Map<String, String> overrides) {
        return Models.get(model).resolve(overrides);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bpr", "lightgcn"})
    void trainsAndBeatsRandomRankingByAWideMargin(String name) {
        ModelDefinition definition = Models.get(name);
        // a higher rate so that a few epochs of 2 batches learn the clusters
        Hyperparameters hp = params(
                name, Map.of("learning_rate", "0.05", "batch_size", "1024", "max_epochs", "8", "reg_weight", "1e-4"));
        List<EpochReport> reports = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = definition.create(DATA, hp, manager, 42)) {
            TrainingResult result =
                    new Trainer(TrainingSettings.of(hp), 42).train(model, DATA, reports::add, () -> false);
            assertThat(result.epochs()).isEqualTo(8);
            assertThat(reports).hasSize(8);
            assertThat(reports.get(7).meanLoss()).isLessThan(reports.get(0).meanLoss());
            // random ranking of 120 items (8 seen): Recall@20 about 20 / 112 = 0.18; the clusters give 20 candidates
            assertThat(result.test().get("Recall@20")).isGreaterThan(0.6);
            assertThat(result.test()).hasSize(16);
            assertThat(result.valid()).hasSize(16);
            // the model holds the best epoch's parameters at the end
            Embeddings restored = model.embeddings();
            assertThat(FullRankingEvaluator.evaluate(restored, DATA, Split.VALID)
                            .get("Recall@20"))
                    .isEqualTo(result.valid().get("Recall@20"));
            // and the embeddings that ranked the best epoch are the trained model's (a job reuses them)
            assertThat(result.bestEmbeddings().users()).isEqualTo(restored.users());
            assertThat(result.bestEmbeddings().items()).isEqualTo(restored.items());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false"})
    void sameSeedSameNumbers(String mmrecRng) {
        Hyperparameters hp = params(
                "lightgcn",
                Map.of("learning_rate", "0.02", "batch_size", "512", "max_epochs", "3", "mmrec_rng", mmrecRng));
        TrainingResult first = trainOnce("lightgcn", hp, 5);
        TrainingResult second = trainOnce("lightgcn", hp, 5);
        assertThat(second.valid()).isEqualTo(first.valid());
        assertThat(second.test()).isEqualTo(first.test());
        assertThat(second.history().stream().map(EpochReport::meanLoss).toList())
                .isEqualTo(first.history().stream().map(EpochReport::meanLoss).toList());
    }

    private static TrainingResult trainOnce(String name, Hyperparameters hp, long seed) {
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = Models.get(name).create(DATA, hp, manager, seed)) {
            return new Trainer(TrainingSettings.of(hp), seed).train(model, DATA);
        }
    }

    @Test
    void nativeMemoryStaysFlatAcrossEpochs() {
        Hyperparameters hp =
                params("lightgcn", Map.of("batch_size", "256", "max_epochs", "6", "learning_rate", "0.01"));
        List<Integer> liveArrays = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = Models.get("lightgcn").create(DATA, hp, manager, 3)) {
            new Trainer(TrainingSettings.of(hp), 3)
                    .train(
                            model,
                            DATA,
                            report -> liveArrays.add(manager.getManagedArrays().size()),
                            () -> false);
        }
        // every batch's and every evaluation's arrays are closed: the model's manager holds the same
        // number of arrays after each epoch (parameters and graph; Adam's state is detached)
        assertThat(liveArrays).hasSize(6).allMatch(n -> n.equals(liveArrays.get(0)));
    }

    @Test
    void earlyStoppingEndsTheRunAndReportsTheBestEpoch() {
        // a learning rate of 1e-12 moves no float32 weight: validation never improves after epoch 1; patience 2 -> 1 +
        // 3 epochs
        Hyperparameters hp = params("bpr", Map.of("learning_rate", "1e-12", "patience", "2", "max_epochs", "50"));
        TrainingResult result = trainOnce("bpr", hp, 1);
        assertThat(result.epochs()).isEqualTo(4);
        assertThat(result.bestEpoch()).isEqualTo(1);
    }

    @Test
    void learningRateScheduleReachesTheOptimiser() {
        Hyperparameters hp = params("bpr", Map.of("lr_decay", "0.5", "lr_decay_epochs", "2", "max_epochs", "3"));
        List<Double> rates = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = Models.get("bpr").create(DATA, hp, manager, 1)) {
            new Trainer(TrainingSettings.of(hp), 1).train(model, DATA, r -> rates.add(r.learningRate()), () -> false);
        }
        assertThat(rates).containsExactly(1e-3, 1e-3 * Math.sqrt(0.5), 0.5e-3);
    }

    @Test
    void cancellationIsCheckedBetweenBatches() {
        Hyperparameters hp = params("bpr", Map.of("batch_size", "100", "max_epochs", "5"));
        AtomicInteger checks = new AtomicInteger();
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = Models.get("bpr").create(DATA, hp, manager, 1)) {
            assertThatThrownBy(() -> new Trainer(TrainingSettings.of(hp), 1)
                            .train(model, DATA, r -> {}, () -> checks.incrementAndGet() > 3))
                    .isInstanceOf(TrainingCancelledException.class)
                    .hasMessageContaining("epoch 1");
        }
        assertThat(checks.get()).isEqualTo(4);
    }

    @Test
    void nanLossStopsWithAClearError() {
        Hyperparameters hp = params("bpr", Map.of("max_epochs", "2"));
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = new NanLossModel(Models.get("bpr").create(DATA, hp, manager, 1))) {
            assertThatThrownBy(() -> new Trainer(TrainingSettings.of(hp), 1).train(model, DATA))
                    .isInstanceOf(TrainingDivergedException.class)
                    .hasMessageContaining("NaN")
                    .hasMessageContaining("epoch 1, batch 1");
        }
    }

    /** A model whose loss is NaN: the trainer must stop, not train on. */
    private static final class NanLossModel extends ForwardingRecommenderModel {

        NanLossModel(RecommenderModel inner) {
            super(inner);
        }

        @Override
        public NDArray trainingLoss(TrainingBatch batch) {
            return super.trainingLoss(batch).mul(Float.NaN);
        }
    }
}
