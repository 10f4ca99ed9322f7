package io.mambarec.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.SyntheticData;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** steps_per_epoch: the authors' loop up to the documented size, a fixed number of grown batches above it. */
class ScalableLoopTest {

    private static TrainingSettings settings(Map<String, String> overrides) {
        return TrainingSettings.of(Models.get("mambarec").resolve(overrides));
    }

    @Test
    void autoKeepsTheAuthorsLoopUpToTheThresholdAndGrowsTheBatchAbove() {
        TrainingSettings auto = settings(Map.of());
        assertThat(auto.stepsPerEpoch()).isZero();
        assertThat(auto.batchSizeFor(59_541)).isEqualTo(2048); // tiktok
        assertThat(auto.batchSizeFor(TrainingSettings.AUTO_SCALABLE_ABOVE)).isEqualTo(2048);
        // above it: 32 steps, the batch rounded up so that 32 of them cover the split
        int big = 833_000;
        int batch = auto.batchSizeFor(big);
        assertThat(batch).isEqualTo((big + 31) / 32);
        assertThat((big + batch - 1) / batch).isEqualTo(TrainingSettings.AUTO_STEPS_PER_EPOCH);
        assertThat(auto.describeLoop(big)).startsWith("scalable loop").contains("32 steps per epoch");
        assertThat(auto.describeLoop(59_541)).startsWith("authors' loop").contains("batches of 2048, 30 steps");
    }

    @Test
    void mambarecStepsFiveTimesLargerInTheScalableLoopOnlyAndTheBaselinesKeepTheirRate() {
        TrainingSettings mambarec = settings(Map.of());
        assertThat(mambarec.scalableLrFactor()).isEqualTo(5.0);
        // the authors' loop (TikTok, Amazon Baby) keeps learning_rate: the reproduced figures hold
        assertThat(mambarec.learningRateFor(59_541)).isEqualTo(1e-3);
        assertThat(mambarec.learningRateFor(TrainingSettings.AUTO_SCALABLE_ABOVE))
                .isEqualTo(1e-3);
        assertThat(mambarec.learningRateFor(833_000)).isEqualTo(5e-3);
        assertThat(mambarec.describeLoop(833_000)).endsWith("learning rate 0.005");
        // an explicit learning rate is scaled the same way; the factor is a setting of its own
        assertThat(settings(Map.of("learning_rate", "0.002")).learningRateFor(833_000))
                .isEqualTo(0.01);
        assertThat(settings(Map.of("scalable_lr_factor", "1")).learningRateFor(833_000))
                .isEqualTo(1e-3);
        // a forced scalable loop on a small split grows the batch, so it steps larger too
        assertThat(settings(Map.of("steps_per_epoch", "10")).learningRateFor(59_541))
                .isEqualTo(5e-3);
        assertThatThrownBy(() -> settings(Map.of("scalable_lr_factor", "0")))
                .isInstanceOf(IllegalArgumentException.class);
        for (String baseline : new String[] {"lightgcn", "bpr", "mgcn"}) {
            TrainingSettings other = TrainingSettings.of(Models.get(baseline).resolve(Map.of()));
            assertThat(other.learningRateFor(833_000)).as(baseline).isEqualTo(other.learningRate());
        }
    }

    @Test
    void theTrainerStepsWithTheScalableLoopsLearningRate() {
        Dataset data = SyntheticData.dataset(7); // 1,920 training interactions
        Map<String, String> params = Map.of(
                "steps_per_epoch", "3",
                "batch_size", "64",
                "max_epochs", "1",
                "learning_rate", "0.05",
                "scalable_lr_factor", "2");
        Hyperparameters hp = Models.get("lightgcn").resolve(params);
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = Models.get("lightgcn").create(data, hp, manager, 5)) {
            TrainingResult result = new Trainer(TrainingSettings.of(hp), 5).train(model, data);
            assertThat(result.history().get(0).learningRate()).isEqualTo(0.1, within(1e-6));
        }
    }

    @Test
    void explicitStepsPerEpochNeverShrinkTheBatch() {
        assertThat(settings(Map.of("steps_per_epoch", "10")).batchSizeFor(59_541))
                .isEqualTo(5955);
        assertThat(settings(Map.of("steps_per_epoch", "100")).batchSizeFor(59_541))
                .isEqualTo(2048);
        assertThatThrownBy(() -> settings(Map.of("steps_per_epoch", "-1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTrainerRunsTheGrownBatchesAndTheModelStillLearns() {
        Dataset data = SyntheticData.dataset(7); // 1,920 training interactions
        Hyperparameters hp = Models.get("lightgcn")
                .resolve(
                        Map.of("steps_per_epoch", "3", "batch_size", "64", "max_epochs", "6", "learning_rate", "0.05"));
        TrainingPhases phases = new TrainingPhases();
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = Models.get("lightgcn").create(data, hp, manager, 5)) {
            TrainingResult result =
                    new Trainer(TrainingSettings.of(hp), 5).recordPhases(phases).train(model, data);
            assertThat(phases.count(TrainingPhases.Phase.FORWARD)).isEqualTo(3L * result.epochs());
            assertThat(result.history().get(result.epochs() - 1).meanLoss())
                    .isLessThan(result.history().get(0).meanLoss());
            // random ranking: Recall@20 about 0.18
            assertThat(result.test().get("Recall@20")).isGreaterThan(0.4);
        }
    }
}
