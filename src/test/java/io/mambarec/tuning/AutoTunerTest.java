package io.mambarec.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.Split;
import io.mambarec.evaluation.FullRankingEvaluator;
import io.mambarec.evaluation.RankingMetrics;
import io.mambarec.model.mambarec.PlantedDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auto} with real training on a small planted dataset: rungs, the chosen model, determinism. */
class AutoTunerTest {

    private static final Dataset DATA = PlantedDataset.create(5, 96, 4, 12, List.of("image", "text"), 8);
    /** Fixed by the user, so not searched: a short run. */
    private static final Map<String, String> FIXED = Map.of("max_epochs", "4", "batch_size", "128");
    /** 4 points, half kept per rung, rungs of 1 and 2 epochs, one bracket. */
    private static final SearchSettings SMALL = new SearchSettings(4, 2, 1, 1, 1.0);

    @TempDir
    Path work;

    private record Run(SearchReport report, double chosenValid, double reEvaluatedValid, Map<String, Object> params) {}

    private Run tune(long seed, Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            AutoTuner.Result result = new AutoTuner(SMALL)
                    .tune(DATA, FIXED, seed, Duration.ofHours(1), dir, () -> false, AutoTuner.Progress.NONE, manager);
            try (var model = result.model()) {
                double again = FullRankingEvaluator.evaluate(model.embeddings(), DATA, Split.VALID)
                        .get(RankingMetrics.RECALL_20);
                return new Run(
                        result.report(),
                        result.result().valid().get(RankingMetrics.RECALL_20),
                        again,
                        result.params().asMap());
            }
        }
    }

    @Test
    void rungsHalveTheChosenModelIsTheBestByValidationAndASeedRepeatsIt() throws Exception {
        Run run = tune(3, work.resolve("a"));
        SearchReport report = run.report();
        assertThat(report.points()).hasSize(4);
        assertThat(report.points().get(0).settings())
                .containsEntry("layers", "4")
                .containsEntry("knn_k", "10");
        // 4 points for 1 epoch, the best 2 to 2 epochs, the best of those to max_epochs 4
        assertThat(report.points().stream()
                        .map(SearchReport.Point::epochs)
                        .sorted()
                        .toList())
                .containsExactly(1, 1, 2, 4);
        SearchReport.Point chosen = report.points().get(report.chosenPoint() - 1);
        assertThat(chosen.epochs()).isEqualTo(4);
        assertThat(chosen.outcome()).contains("chosen");
        assertThat(chosen.validRecall20()).isEqualTo(run.chosenValid());
        // the returned model is the chosen point at its best epoch
        assertThat(run.reEvaluatedValid()).isEqualTo(run.chosenValid());
        chosen.settings()
                .forEach((key, value) ->
                        assertThat(String.valueOf(run.params().get(key))).isEqualTo(value));
        assertThat(run.params()).containsEntry("max_epochs", 4).containsEntry("batch_size", 128);
        assertThat(report.beatsPopularity()).isEqualTo(run.chosenValid() > report.popularValidRecall20());
        assertThat(report.budgetSpent()).isFalse();
        try (var files = Files.list(work.resolve("a"))) {
            assertThat(files).as("checkpoints deleted").isEmpty();
        }

        Run again = tune(3, work.resolve("b"));
        assertThat(again.report().points()).isEqualTo(report.points());
        assertThat(again.report().chosenPoint()).isEqualTo(report.chosenPoint());
        assertThat(again.chosenValid()).isEqualTo(run.chosenValid());
    }
}
