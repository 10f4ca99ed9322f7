package io.mambarec.model.mambarec;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.model.Embeddings;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingSettings;
import io.mambarec.runtime.DjlEnvironment;
import io.mambarec.training.Trainer;
import io.mambarec.training.TrainingResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * mambarec and mgcn trained a few epochs with the project's trainer on a made-up dataset whose test
 * items are reachable only through their features: both beat lightgcn, which sees interactions only.
 */
class PlantedStructureEndToEndTest {

    private static final Map<String, String> SHORT_RUN =
            Map.of("max_epochs", "8", "batch_size", "256", "learning_rate", "0.01", "patience", "8");

    @Test
    void multimodalModelsBeatLightGcnOnPlantedStructure() {
        DjlEnvironment.configureOffline();
        Dataset data = PlantedDataset.create(11, 120, 6, 20, List.of("image", "text"), 32);
        Map<String, Double> testRecall = new LinkedHashMap<>();
        for (String name : List.of("lightgcn", "mgcn", "mambarec")) {
            ModelDefinition definition = Models.get(name);
            Hyperparameters hp = definition.resolve(SHORT_RUN);
            try (NDManager manager = NDManager.newBaseManager();
                    RecommenderModel model = definition.create(data, hp, manager, 7)) {
                TrainingResult result = new Trainer(TrainingSettings.of(hp), 7).train(model, data);
                assertThat(result.history().get(result.epochs() - 1).meanLoss())
                        .as(name + " learns")
                        .isLessThan(result.history().get(0).meanLoss());
                // the embeddings that ranked the best epoch are the restored best model's (a job reuses them)
                Embeddings trained = model.embeddings();
                assertThat(result.bestEmbeddings().users()).as(name).isEqualTo(trained.users());
                assertThat(result.bestEmbeddings().items()).as(name).isEqualTo(trained.items());
                testRecall.put(name, result.test().get("Recall@20"));
            }
        }
        // 20 of 120 items at random: Recall@20 about 0.17; the cold half of the user's cluster is 10 items
        assertThat(testRecall.get("mgcn")).as(testRecall.toString()).isGreaterThan(testRecall.get("lightgcn") + 0.2);
        assertThat(testRecall.get("mambarec"))
                .as(testRecall.toString())
                .isGreaterThan(testRecall.get("lightgcn") + 0.2);
    }

    @Test
    void mambaRecLearnsThePlantedStructureInTheScalableLoop() {
        // 3 grown batches per epoch; InfoNCE and MMD on the first batch_size rows of each
        DjlEnvironment.configureOffline();
        Dataset data = PlantedDataset.create(11, 120, 6, 20, List.of("image", "text"), 32);
        Map<String, String> scalable = new LinkedHashMap<>(SHORT_RUN);
        scalable.put("steps_per_epoch", "3");
        scalable.put("batch_size", "128");
        ModelDefinition definition = Models.get("mambarec");
        Hyperparameters hp = definition.resolve(scalable);
        TrainingSettings settings = TrainingSettings.of(hp);
        assertThat(settings.batchSizeFor(data.train().size())).isGreaterThan(128);
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = definition.create(data, hp, manager, 7)) {
            TrainingResult result = new Trainer(settings, 7).train(model, data);
            assertThat(result.history().get(result.epochs() - 1).meanLoss())
                    .isLessThan(result.history().get(0).meanLoss());
            // 20 of 120 items at random: Recall@20 about 0.17
            assertThat(result.test().get("Recall@20")).isGreaterThan(0.4);
        }
    }
}
