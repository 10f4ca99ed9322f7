package io.mambarec.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.Split;
import io.mambarec.evaluation.FullRankingEvaluator;
import io.mambarec.evaluation.RankingMetrics;
import io.mambarec.model.SeedEnsemble;
import io.mambarec.model.mambarec.PlantedDataset;
import io.mambarec.training.EpochReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auto} with real training on a small planted dataset: the hedged brackets' rungs, the chosen
 * model, determinism, that only the point in training holds native memory, and that the memory of
 * each point's rung is released once its arrays are freed.
 */
class AutoTunerTest {

    private static final Dataset DATA = PlantedDataset.create(5, 96, 4, 12, List.of("image", "text"), 8);
    /** Fixed by the user, so not searched: a short run. */
    private static final Map<String, String> FIXED = Map.of("max_epochs", "4", "batch_size", "128");
    /**
     * Up to 4 points, half kept per rung, 3 brackets: s_max = 2, so bracket 1 judges 3 points after 4
     * epochs, bracket 2 3 points after 2, bracket 3 4 points after 1.
     */
    private static final SearchSettings SMALL = new SearchSettings(4, 2, 1, 3, 1.0);

    @TempDir
    Path work;

    private record Run(
            SearchReport report,
            double chosenValid,
            double reEvaluatedValid,
            Map<String, Object> params,
            long liveBytesBefore,
            List<Long> liveBytesAtDecisions,
            List<Long> liveBytesInEpochs,
            List<String> events,
            List<Long> liveBytesAtReleases) {}

    /** Bytes of every NDArray alive in the process (every base manager is the system manager's child). */
    static long liveNativeBytes() {
        try (NDManager probe = NDManager.newBaseManager()) {
            return probe.getParentManager().getManagedArrays().stream()
                    .mapToLong(a -> a.size() * a.getDataType().getNumOfBytes())
                    .sum();
        }
    }

    private Run tune(long seed, Path dir) {
        long before = liveNativeBytes();
        List<Long> atDecisions = new ArrayList<>();
        List<Long> inEpochs = new ArrayList<>();
        // "epoch N" per epoch of point N, "release" per release of native memory, in order
        List<String> events = new ArrayList<>();
        List<Long> atReleases = new ArrayList<>();
        AutoTuner tuner = new AutoTuner(SMALL, () -> {
            events.add("release");
            atReleases.add(liveNativeBytes());
            return Optional.empty();
        });
        AutoTuner.Progress progress = new AutoTuner.Progress() {
            @Override
            public void line(String line) {
                // a point drawn, a bracket sized, a rung decided: no point is in training
                atDecisions.add(liveNativeBytes());
            }

            @Override
            public void epoch(int point, EpochReport report) {
                inEpochs.add(liveNativeBytes());
                events.add("epoch " + point);
            }
        };
        try (NDManager manager = NDManager.newBaseManager()) {
            AutoTuner.Result result =
                    tuner.tune(DATA, FIXED, seed, Duration.ofHours(1), dir, () -> false, progress, manager);
            try (var model = result.model()) {
                double again = FullRankingEvaluator.evaluate(model.embeddings(), DATA, Split.VALID)
                        .get(RankingMetrics.RECALL_20);
                return new Run(
                        result.report(),
                        result.result().valid().get(RankingMetrics.RECALL_20),
                        again,
                        result.params().asMap(),
                        before,
                        atDecisions,
                        inEpochs,
                        events,
                        atReleases);
            }
        }
    }

    @Test
    void theBracketsHalveTheChosenModelIsTheBestByValidationAndASeedRepeatsIt() throws Exception {
        Run run = tune(3, work.resolve("a"));
        SearchReport report = run.report();
        assertThat(report.method()).isEqualTo("hyperband");
        assertThat(report.points()).hasSize(10);
        assertThat(report.points().get(0).settings())
                .containsEntry("layers", "4")
                .containsEntry("knn_k", "10");
        assertThat(report.points().get(0).bracket()).isEqualTo(1);
        // bracket 1: 3 points to 4 epochs (max_epochs); bracket 2: 3 points to 2, the best to 4;
        // bracket 3: 4 points to 1, the best 2 to 2, the best of those to 4
        assertThat(epochsOf(report, 1)).containsExactly(4, 4, 4);
        assertThat(epochsOf(report, 2)).containsExactly(2, 2, 4);
        assertThat(epochsOf(report, 3)).containsExactly(1, 1, 2, 4);
        SearchReport.Point chosen = report.points().get(report.chosenPoint() - 1);
        assertThat(chosen.epochs()).isEqualTo(4);
        assertThat(chosen.outcome()).contains("chosen");
        assertThat(chosen.validRecall20()).isEqualTo(run.chosenValid());
        // chosen by validation among the brackets' survivors
        assertThat(report.points())
                .filteredOn(p -> p.outcome().startsWith("survived"))
                .hasSize(3)
                .allMatch(p -> p.validRecall20() <= chosen.validRecall20());
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

        // memory: the point in training holds its model; whenever the search decides (up to 4 points
        // alive, survivors waiting for the final choice) no point holds one (the bound leaves room for
        // arrays of other tests' application contexts in this JVM, never for a model)
        assertThat(run.liveBytesInEpochs()).hasSize(28);
        long smallestModel = run.liveBytesInEpochs().stream()
                        .mapToLong(Long::longValue)
                        .min()
                        .orElseThrow()
                - run.liveBytesBefore();
        assertThat(smallestModel).isPositive();
        assertThat(run.liveBytesAtDecisions())
                .hasSizeGreaterThan(10)
                .allMatch(b -> b - run.liveBytesBefore() < smallestModel / 2);
        // a point's rung ends with its memory released, after its model and graphs are freed: before
        // another point trains and after the last epoch
        List<String> events = run.events();
        for (int k = 1; k < events.size(); k++) {
            if (events.get(k - 1).startsWith("epoch") && events.get(k).startsWith("epoch")) {
                assertThat(events.get(k))
                        .as("no release between two points' epochs: event %d of %s", k, events)
                        .isEqualTo(events.get(k - 1));
            }
        }
        assertThat(events.get(events.size() - 1)).isEqualTo("release");
        assertThat(run.liveBytesAtReleases())
                .hasSizeBetween(10, 28) // at least once per point, at most once per epoch
                .allMatch(b -> b - run.liveBytesBefore() < smallestModel / 2);

        Run again = tune(3, work.resolve("b"));
        assertThat(again.report().points()).isEqualTo(report.points());
        assertThat(again.report().chosenPoint()).isEqualTo(report.chosenPoint());
        assertThat(again.chosenValid()).isEqualTo(run.chosenValid());
    }

    @Test
    void furtherSeedsOfTheChosenSettingAreTrainedAndTheMembersChosenByValidation() {
        SearchSettings withEnsemble = new SearchSettings(4, 2, 1, 1, 1.0, 3);
        double[] valid = new double[2];
        int[] used = new int[2];
        for (int attempt = 0; attempt < 2; attempt++) {
            try (NDManager manager = NDManager.newBaseManager()) {
                AutoTuner.Result result = new AutoTuner(withEnsemble)
                        .tune(
                                DATA,
                                FIXED,
                                3,
                                Duration.ofHours(1),
                                work.resolve("e" + attempt),
                                () -> false,
                                AutoTuner.Progress.NONE,
                                manager);
                try (var model = result.model()) {
                    SearchReport.Ensemble ensemble = result.report().ensemble();
                    assertThat(ensemble.asked()).isEqualTo(3);
                    // three runs of the chosen setting, trained to the end (max_epochs)
                    assertThat(ensemble.members())
                            .extracting(SearchReport.Member::seed)
                            .containsExactly(3L, 4L, 5L);
                    assertThat(ensemble.members()).allMatch(m -> m.epochs() == 4 && m.validRecall20() != null);
                    SearchReport.Point chosen =
                            result.report().points().get(result.report().chosenPoint() - 1);
                    assertThat(ensemble.members().get(0).validRecall20()).isEqualTo(chosen.validRecall20());
                    List<Long> memberSeeds = ensemble.members().stream()
                            .filter(m -> m.outcome().startsWith("member"))
                            .map(SearchReport.Member::seed)
                            .toList();
                    assertThat(memberSeeds).hasSize(ensemble.used());
                    // greedy by validation: it starts from the best run and never ends below it
                    double bestRun = ensemble.members().stream()
                            .mapToDouble(SearchReport.Member::validRecall20)
                            .max()
                            .orElseThrow();
                    valid[attempt] = result.result().valid().get(RankingMetrics.RECALL_20);
                    assertThat(valid[attempt])
                            .isEqualTo(ensemble.validRecall20())
                            .isGreaterThanOrEqualTo(bestRun);
                    if (ensemble.used() > 1) {
                        assertThat(valid[attempt]).isGreaterThan(bestRun);
                        assertThat(model).isInstanceOf(SeedEnsemble.class);
                        assertThat(((SeedEnsemble) model).seeds()).containsExactlyInAnyOrderElementsOf(memberSeeds);
                        assertThat(model.embeddings().dim()).isEqualTo(ensemble.used() * 64);
                    } else {
                        assertThat(model).isNotInstanceOf(SeedEnsemble.class);
                    }
                    // the figures are the returned model's
                    double again = FullRankingEvaluator.evaluate(model.embeddings(), DATA, Split.VALID)
                            .get(RankingMetrics.RECALL_20);
                    assertThat(again).isEqualTo(valid[attempt]);
                    assertThat(model.hyperparameters().asMap())
                            .isEqualTo(result.params().asMap());
                    used[attempt] = ensemble.used();
                }
            }
        }
        assertThat(used[1]).as("deterministic for a seed").isEqualTo(used[0]);
        assertThat(valid[1]).as("deterministic for a seed").isEqualTo(valid[0]);
    }

    private static List<Integer> epochsOf(SearchReport report, int bracket) {
        return report.points().stream()
                .filter(p -> p.bracket() == bracket)
                .map(SearchReport.Point::epochs)
                .sorted()
                .toList();
    }
}
