package io.mambarec.cli;

import ai.djl.ndarray.NDManager;
import io.mambarec.config.MambaRecProperties.Retrain.Auto;
import io.mambarec.data.Dataset;
import io.mambarec.evaluation.RankingMetrics;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelArtifact;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingSettings;
import io.mambarec.runtime.NativeMemory;
import io.mambarec.training.EpochReport;
import io.mambarec.training.TrainingRun;
import io.mambarec.tuning.AutoTuner;
import io.mambarec.tuning.BracketSchedule;
import io.mambarec.tuning.SearchReport;
import io.mambarec.tuning.SearchSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train --data DIR --model NAME --out OUTDIR [--seed N] [--max-epochs N] [--param k=v ...]
 * [--grid k=v1,v2 ...]}: trains one model (or every grid point, choosing by VALIDATION Recall@20),
 * prints one line per epoch, and writes the chosen model and {@code result.json} to OUTDIR. With
 * {@code --model auto [--budget-minutes N]} it tunes MambaRec's settings by validation Recall@20
 * within the budget ({@link AutoTuner}).
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = "Train a model on an MMRec-format folder; write OUTDIR/result.json and the model.")
public final class TrainCommand implements Callable<Integer> {

    static final String RESULT_FILE = RunResult.FILE;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "DIR",
            description = "dataset folder (NAME/NAME.inter, *_feat.npy)")
    Path data;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "NAME",
            description = "model: ${COMPLETION-CANDIDATES}",
            completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--out", required = true, paramLabel = "OUTDIR", description = "where result.json and the model go")
    Path out;

    @Option(names = "--seed", defaultValue = "999", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--max-epochs", paramLabel = "N", description = "upper bound on epochs (the max_epochs setting)")
    Integer maxEpochs;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "set a hyper-parameter or training setting")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(
            names = "--grid",
            paramLabel = "KEY=V1,V2,...",
            description = "try every combination; choose by validation Recall@20")
    List<String> grid = new ArrayList<>();

    @Option(
            names = "--budget-minutes",
            paramLabel = "N",
            defaultValue = "60",
            description = "auto: the search's wall-clock budget in minutes (default: ${DEFAULT-VALUE})")
    double budgetMinutes;

    @Option(
            names = "--points",
            paramLabel = "N",
            defaultValue = "" + Auto.DEFAULT_POINTS,
            description = "auto: points in the most exploratory bracket at most (default: ${DEFAULT-VALUE})")
    int points;

    @Option(
            names = "--eta",
            paramLabel = "N",
            defaultValue = "" + Auto.DEFAULT_ETA,
            description = "auto: a rung keeps the best 1/N of its points (default: ${DEFAULT-VALUE})")
    int eta;

    @Option(
            names = "--min-epochs",
            paramLabel = "N",
            defaultValue = "" + Auto.DEFAULT_MIN_EPOCHS,
            description = "auto: epochs of the most exploratory bracket's first rung; the first bracket's is"
                    + " N * eta^floor(log_eta(points)) (default: ${DEFAULT-VALUE})")
    int minEpochs;

    @Option(
            names = "--brackets",
            paramLabel = "N",
            defaultValue = "" + Auto.DEFAULT_BRACKETS,
            description = "auto: brackets at most, while the budget lasts (default: ${DEFAULT-VALUE})")
    int brackets;

    @Option(
            names = "--ensemble",
            paramLabel = "N",
            defaultValue = "" + Auto.DEFAULT_ENSEMBLE,
            description = "auto: runs of the chosen setting the model may combine (the chosen one and up to N-1"
                    + " more seeds, in the last 40%% of the budget; members chosen by validation); 1: the chosen run"
                    + " alone (default: ${DEFAULT-VALUE})")
    int ensemble;

    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            List<String> names = new ArrayList<>(Models.names());
            names.add(AutoTuner.NAME);
            return names.iterator();
        }
    }

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        if (AutoTuner.isAuto(model)) {
            return auto(stdout);
        }
        ModelDefinition definition = Models.get(model);
        List<Map<String, String>> points = GridSearch.points(grid, params.keySet());
        // resolve every point first: a bad key or value fails before any training
        List<Hyperparameters> resolved = new ArrayList<>();
        for (Map<String, String> point : points) {
            resolved.add(definition.resolve(overrides(point)));
        }
        Dataset dataset = DatasetOption.load(data, stdout);

        List<RunResult.GridPoint> gridResults = new ArrayList<>();
        RunResult chosen = null;
        ModelArtifact chosenArtifact = null;
        double chosenScore = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < points.size(); p++) {
            Hyperparameters hp = resolved.get(p);
            if (points.size() > 1) {
                stdout.printf("grid point %d/%d: %s%n", p + 1, points.size(), points.get(p));
            }
            stdout.printf("training %s on %s, seed %d, %s%n", definition.name(), dataset.name(), seed, hp);
            stdout.println(TrainingSettings.of(hp).describeLoop(dataset.train().size()));
            stdout.flush();
            RunResult result;
            ModelArtifact artifact;
            try (GracefulStop stop = GracefulStop.install();
                    NDManager manager = NDManager.newBaseManager();
                    TrainingRun.Trained trained = new TrainingRun(definition, hp, seed)
                            .listener(report -> {
                                stdout.println(report.progressLine() + ResidentMemory.describe());
                                stdout.flush();
                            })
                            .stop(stop)
                            .train(dataset, manager)) {
                result = RunResult.of(definition.name(), dataset.name(), seed, hp, trained.result());
                artifact = trained.artifact(dataset);
            }
            if (points.size() > 1) {
                // the next point's arrays have other sizes: what glibc kept of this one's goes back
                int number = p + 1;
                NativeMemory.collectAndReleaseFreeMemory()
                        .ifPresent(released ->
                                stdout.println("grid point " + number + " freed its model: " + released.describe()));
            }
            gridResults.add(result.asGridPoint(points.get(p)));
            double score = result.valid().getOrDefault(RankingMetrics.RECALL_20, 0.0);
            stdout.printf(
                    Locale.ROOT,
                    "best epoch %d of %d: valid Recall@20 %.4f, test Recall@20 %.4f, NDCG@20 %.4f, " + "%.2f s/epoch%n",
                    result.bestEpoch(),
                    result.epochs(),
                    score,
                    result.test().get(RankingMetrics.RECALL_20),
                    result.test().get(RankingMetrics.NDCG_20),
                    result.secondsPerEpoch());
            if (score > chosenScore) {
                chosenScore = score;
                chosen = result;
                chosenArtifact = artifact;
            }
        }
        if (points.size() > 1) {
            GridSearch.printTable(stdout, gridResults);
            chosen = chosen.withGrid(gridResults);
        }
        chosenArtifact.writeTo(out);
        chosen.writeTo(out.resolve(RESULT_FILE));
        stdout.printf("chosen by validation Recall@20: %s%n", chosen.params());
        Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
        rows.put("valid", chosen.valid());
        rows.put("test", chosen.test());
        MetricsTable.print(stdout, rows);
        stdout.printf(
                "wrote %s and the model (%s, %s) to %s%n",
                RESULT_FILE, ModelArtifact.MANIFEST_FILE, ModelArtifact.PARAMETERS_FILE, out);
        stdout.flush();
        return 0;
    }

    /** {@code --model auto}: MambaRec's settings searched by validation Recall@20 within the budget. */
    private int auto(PrintWriter stdout) {
        if (!grid.isEmpty()) {
            throw new IllegalArgumentException("--grid and --model auto exclude each other: auto searches by itself");
        }
        if (!(budgetMinutes > 0 && budgetMinutes <= 10_080)) {
            throw new IllegalArgumentException(
                    "--budget-minutes must be > 0 and <= 10,080 (a week), not " + budgetMinutes);
        }
        SearchSettings settings = new SearchSettings(points, eta, minEpochs, brackets, ensemble);
        Map<String, String> fixed = overrides(Map.of());
        Hyperparameters base = AutoTuner.resolve(fixed); // a bad key or value fails before any training
        Dataset dataset = DatasetOption.load(data, stdout);
        stdout.printf(
                Locale.ROOT,
                "auto: %s's settings chosen by validation Recall@20 within %.1f minutes (hyperband: up to %d"
                        + " points per bracket, eta %d, first rungs of %d down to %d epochs, up to %d brackets), seed %d%n",
                AutoTuner.MODEL,
                budgetMinutes,
                settings.points(),
                settings.eta(),
                BracketSchedule.HEDGED.firstRung(settings, 1),
                settings.minEpochs(),
                settings.brackets(),
                seed);
        stdout.println(TrainingSettings.of(base).describeLoop(dataset.train().size()));
        stdout.flush();
        Path work = out.resolve(".search");
        AutoTuner.Result found;
        ModelArtifact artifact;
        try (GracefulStop stop = GracefulStop.install();
                NDManager manager = NDManager.newBaseManager()) {
            found = new AutoTuner(settings)
                    .tune(
                            dataset,
                            fixed,
                            seed,
                            Duration.ofMillis((long) (budgetMinutes * 60_000)),
                            work,
                            stop,
                            new AutoTuner.Progress() {
                                @Override
                                public void line(String line) {
                                    stdout.println("search: " + line);
                                    stdout.flush();
                                }

                                @Override
                                public void epoch(int point, EpochReport report) {
                                    stdout.println(
                                            "point " + point + " " + report.progressLine() + ResidentMemory.describe());
                                    stdout.flush();
                                }
                            },
                            manager);
            try (RecommenderModel chosen = found.model()) {
                artifact = ModelArtifact.of(chosen, dataset, seed);
            }
        } finally {
            deleteIfEmpty(work);
        }
        SearchReport search = found.report();
        printSearch(stdout, search);
        artifact.writeTo(out);
        RunResult.of(AutoTuner.MODEL, dataset.name(), seed, found.params(), found.result())
                .withSearch(search)
                .writeTo(out.resolve(RESULT_FILE));
        stdout.printf(
                Locale.ROOT,
                "chosen by validation Recall@20: point %d, %s%n",
                search.chosenPoint(),
                search.points().get(search.chosenPoint() - 1).settings());
        if (search.beatsPopularity()) {
            stdout.printf(
                    Locale.ROOT,
                    "it beats the popularity ranking on validation: Recall@20 %.4f against %.4f%n",
                    found.result().valid().get(RankingMetrics.RECALL_20),
                    search.popularValidRecall20());
        } else {
            stdout.printf(
                    Locale.ROOT,
                    "NO setting beats the popularity ranking on validation: the chosen one's Recall@20 %.4f against"
                            + " popularity's %.4f; serve the popularity ranking instead%n",
                    found.result().valid().get(RankingMetrics.RECALL_20),
                    search.popularValidRecall20());
        }
        Map<String, Map<String, Double>> rows = new LinkedHashMap<>();
        rows.put("valid", found.result().valid());
        rows.put("test", found.result().test());
        MetricsTable.print(stdout, rows);
        stdout.printf(
                "wrote %s and the model (%s, %s) to %s%n",
                RESULT_FILE, ModelArtifact.MANIFEST_FILE, ModelArtifact.PARAMETERS_FILE, out);
        stdout.flush();
        return 0;
    }

    private static void printSearch(PrintWriter out, SearchReport search) {
        out.printf(
                Locale.ROOT,
                "search (%s, %.0f of %.0f s%s; validation Recall@20 only):%n",
                search.method(),
                search.elapsedSeconds(),
                search.budgetMinutes() * 60,
                search.budgetSpent() ? ", budget spent" : "");
        out.printf(
                Locale.ROOT,
                "%5s %7s %6s %6s %10s  %-44s %s%n",
                "point",
                "bracket",
                "epochs",
                "best",
                "valid R@20",
                "outcome",
                "settings");
        for (SearchReport.Point p : search.points()) {
            out.printf(
                    Locale.ROOT,
                    "%5d %7d %6d %6d %10s  %-44s %s%n",
                    p.point(),
                    p.bracket(),
                    p.epochs(),
                    p.bestEpoch(),
                    p.validRecall20() == null ? "-" : String.format(Locale.ROOT, "%.4f", p.validRecall20()),
                    p.outcome(),
                    p.settings());
        }
        SearchReport.Ensemble ensemble = search.ensemble();
        if (ensemble != null && ensemble.asked() > 1) {
            out.printf(
                    Locale.ROOT,
                    "seed ensemble of the chosen setting: %d of %d run(s) (%d asked), validation Recall@20 %.4f%n",
                    ensemble.used(),
                    ensemble.members().size(),
                    ensemble.asked(),
                    ensemble.validRecall20());
            for (SearchReport.Member m : ensemble.members()) {
                out.printf(
                        Locale.ROOT,
                        "  run %d  seed %d  epochs %d  best %d  valid R@20 %s  %s%n",
                        m.member(),
                        m.seed(),
                        m.epochs(),
                        m.bestEpoch(),
                        m.validRecall20() == null ? "-" : String.format(Locale.ROOT, "%.4f", m.validRecall20()),
                        m.outcome());
            }
        }
        out.flush();
    }

    private static void deleteIfEmpty(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            if (files.findAny().isEmpty()) {
                Files.delete(dir);
            }
        } catch (IOException e) {
            // nothing to delete
        }
    }

    private Map<String, String> overrides(Map<String, String> point) {
        Map<String, String> all = new LinkedHashMap<>(params);
        all.putAll(point);
        if (maxEpochs != null) {
            all.put(TrainingSettings.MAX_EPOCHS, Integer.toString(maxEpochs));
        }
        return all;
    }
}
