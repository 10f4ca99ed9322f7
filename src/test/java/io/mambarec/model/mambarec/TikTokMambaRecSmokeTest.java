package io.mambarec.model.mambarec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.MmrecFolderReader;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingSettings;
import io.mambarec.runtime.DjlEnvironment;
import io.mambarec.testsupport.SharedDatasets;
import io.mambarec.training.Trainer;
import io.mambarec.training.TrainingResult;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two epochs of MambaRec, defaults, on the real TikTok folder (../shared/datasets/tiktok), skipped only where ../shared/datasets does not exist. */
class TikTokMambaRecSmokeTest {

    @Test
    void twoEpochsOfMambaRecOnTikTok() {
        DjlEnvironment.configureOffline();
        Path dir = SharedDatasets.require("tiktok");
        Dataset data = MmrecFolderReader.read(dir);
        Hyperparameters hp = Models.get("mambarec").resolve(Map.of("max_epochs", "2"));
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = Models.get("mambarec").create(data, hp, manager, 999)) {
            TrainingResult result = new Trainer(TrainingSettings.of(hp), 999).train(model, data);
            // the authors' code logs a first-epoch loss of 23.3549, summed over its 30 batches: 0.7785 per batch
            assertThat(result.history().get(0).meanLoss()).isCloseTo(23.3549 / 30, within(0.005));
            assertThat(result.history().get(1).meanLoss())
                    .isLessThan(result.history().get(0).meanLoss());
            // random ranking: Recall@20 about 20 / 6710 = 0.003
            assertThat(result.valid().get("Recall@20")).isGreaterThan(0.02);
            assertThat(result.test().get("Recall@20")).isGreaterThan(0.02);
        }
    }
}
