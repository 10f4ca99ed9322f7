package io.mambarec.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.MmrecFolderReader;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingSettings;
import io.mambarec.testsupport.SharedDatasets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two epochs of LightGCN on the real TikTok folder (../shared/datasets/tiktok), skipped only where ../shared/datasets does not exist. */
class TikTokSmokeTest {

    @Test
    void twoEpochsOfLightGcnOnTikTok() {
        Path dir = SharedDatasets.require("tiktok");
        Dataset data = MmrecFolderReader.read(dir);
        assertThat(data.numUsers()).isEqualTo(9308);
        assertThat(data.numItems()).isEqualTo(6710);
        assertThat(data.features().keySet()).containsExactly("image", "audio");
        assertThat(data.features().get("image").cols()).isEqualTo(128);

        Hyperparameters hp = Models.get("lightgcn").resolve(Map.of("max_epochs", "2"));
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = Models.get("lightgcn").create(data, hp, manager, 999)) {
            TrainingResult result = new Trainer(TrainingSettings.of(hp), 999).train(model, data);
            assertThat(result.epochs()).isEqualTo(2);
            assertThat(result.history().get(1).meanLoss())
                    .isLessThan(result.history().get(0).meanLoss());
            // random ranking: Recall@20 about 20 / 6710 = 0.003; two epochs of LightGCN reach several times that
            assertThat(result.valid().get("Recall@20")).isGreaterThan(0.02);
            assertThat(result.test().get("Recall@20")).isGreaterThan(0.02);
        }
    }
}
