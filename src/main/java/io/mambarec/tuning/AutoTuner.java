package io.mambarec.tuning;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.Split;
import io.mambarec.evaluation.FullRankingEvaluator;
import io.mambarec.evaluation.PopularityRanking;
import io.mambarec.evaluation.RankingMetrics;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.mambarec.MambaRecDefinition;
import io.mambarec.training.EpochReport;
import io.mambarec.training.TrainingResult;
import io.mambarec.training.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code auto}: MambaRec with its own settings chosen by validation Recall@20 within a wall-clock
 * budget ({@link SuccessiveHalving} over {@link SearchSpace}). The result is an ordinary
 * {@code mambarec} model with the chosen settings.
 */
public final class AutoTuner {

    /** The name that asks for the search, where a model name is expected. */
    public static final String NAME = "auto";
    /** The model the search tunes. */
    public static final String MODEL = MambaRecDefinition.NAME;

    /** Told of the search's decisions and of every epoch of every point. */
    public interface Progress {
        Progress NONE = new Progress() {};

        default void line(String line) {}

        default void epoch(int point, EpochReport report) {}
    }

    /** The chosen model at its best epoch, its result, its settings and the search's report. */
    public record Result(RecommenderModel model, TrainingResult result, Hyperparameters params, SearchReport report) {}

    private final SearchSettings settings;

    public AutoTuner(SearchSettings settings) {
        this.settings = settings;
    }

    /** True when {@code model} names the search rather than a model. */
    public static boolean isAuto(String model) {
        return NAME.equals(model);
    }

    /**
     * Resolves the user's settings against MambaRec's parameters: a bad key or value fails here,
     * before any training.
     */
    public static Hyperparameters resolve(Map<String, String> fixed) {
        return Models.get(MODEL).resolve(fixed);
    }

    /**
     * Searches and returns the chosen model, its arrays owned by {@code manager}.
     *
     * @param fixed settings the user gave (not searched)
     * @param workDir where the points' checkpoints live while the search runs (emptied at the end)
     * @param stop checked between batches; when true the search ends with
     *     {@link io.mambarec.training.TrainingCancelledException}
     */
    public Result tune(
            Dataset data,
            Map<String, String> fixed,
            long seed,
            Duration budget,
            Path workDir,
            BooleanSupplier stop,
            Progress progress,
            NDManager manager) {
        ModelDefinition definition = Models.get(MODEL);
        Hyperparameters base = definition.resolve(fixed);
        SearchSpace space = new SearchSpace(base, fixed.keySet(), seed);
        Deadline deadline = Deadline.after(budget);
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + workDir, e);
        }
        SuccessiveHalving<TrainingTrial> halving = new SuccessiveHalving<>(
                settings,
                deadline,
                space::next,
                (number, point) -> {
                    Map<String, String> overrides = new LinkedHashMap<>(fixed);
                    overrides.putAll(point);
                    return new TrainingTrial(
                            definition,
                            definition.resolve(overrides),
                            data,
                            seed,
                            workDir.resolve("point-" + number + ".checkpoint"),
                            deadline,
                            stop,
                            report -> progress.epoch(number, report));
                },
                progress::line);
        SuccessiveHalving.Outcome<TrainingTrial> outcome;
        try {
            outcome = halving.run();
        } catch (RuntimeException | Error e) {
            halving.releaseAll();
            throw e;
        }
        double elapsed = deadline.elapsedSeconds();
        TrainingTrial winner = outcome.winner().trial();
        TrainingRun.Trained finished;
        try {
            finished = winner.finish(manager);
        } finally {
            winner.release();
        }
        double popular = FullRankingEvaluator.evaluate(PopularityRanking.embeddings(data), data, Split.VALID)
                .get(RankingMetrics.RECALL_20);
        double chosen = finished.result().valid().getOrDefault(RankingMetrics.RECALL_20, 0.0);
        List<SearchReport.Point> points = outcome.tried().stream()
                .map(e -> new SearchReport.Point(
                        e.number(),
                        e.bracket(),
                        e.point(),
                        e.trial().epochs(),
                        e.trial().bestEpoch(),
                        Double.isFinite(e.trial().validRecall20()) ? e.trial().validRecall20() : null,
                        e.trial().failure() == null
                                ? e.outcome()
                                : "diverged: " + e.trial().failure()))
                .toList();
        SearchReport report = new SearchReport(
                SearchReport.METHOD,
                budget.toSeconds() / 60.0,
                elapsed,
                outcome.budgetSpent(),
                settings,
                outcome.winner().number(),
                popular,
                chosen > popular,
                points);
        return new Result(finished.model(), finished.result(), winner.params(), report);
    }
}
