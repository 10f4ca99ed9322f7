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
import io.mambarec.runtime.NativeMemory;
import io.mambarec.training.EpochReport;
import io.mambarec.training.TrainingResult;
import io.mambarec.training.TrainingRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code auto}: MambaRec with its own settings chosen by validation Recall@20 within a wall-clock
 * budget ({@link SuccessiveHalving}'s hedged brackets over {@link SearchSpace}). The result is an ordinary
 * {@code mambarec} model with the chosen settings.
 *
 * <p>Memory: after each point's rung, its arrays freed, the memory glibc kept of them goes back to the
 * system ({@link NativeMemory#releaseFreeMemory}, one progress line each); without it resident memory
 * grew by 100-150 MB with each new point (docs/results.md, "Memory of a search").
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

        /** Told once, before anything else, when the search resumes an interrupted one. */
        default void resumed(SearchJournal journal) {}
    }

    /** The chosen model at its best epoch, its result, its settings and the search's report. */
    public record Result(RecommenderModel model, TrainingResult result, Hyperparameters params, SearchReport report) {}

    private final SearchSettings settings;
    private final Supplier<Optional<NativeMemory.Release>> releaseMemory;

    public AutoTuner(SearchSettings settings) {
        this(settings, NativeMemory::releaseFreeMemory);
    }

    /** @param releaseMemory run after each rung of each point, once its arrays are freed */
    AutoTuner(SearchSettings settings, Supplier<Optional<NativeMemory.Release>> releaseMemory) {
        this.settings = settings;
        this.releaseMemory = releaseMemory;
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
     * Searches and returns the chosen model, its arrays owned by {@code manager}; the points'
     * checkpoints live in files under {@code workDir} while the search runs (deleted at the end).
     *
     * @param fixed settings the user gave (not searched)
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
        return tune(data, fixed, seed, budget, SearchStore.files(workDir), stop, progress, manager);
    }

    /**
     * Searches, or resumes the search {@code store} journalled, and returns the chosen model, its
     * arrays owned by {@code manager}. A resumed search keeps the points drawn, the decisions made and
     * the stopped points' figures, resumes every other point from its checkpoint, and has only what
     * its earlier attempts left of the budget.
     *
     * @param fixed settings the user gave (not searched)
     * @param store the journal and the points' checkpoints
     * @param stop checked between batches; when true the search ends with
     *     {@link io.mambarec.training.TrainingCancelledException}
     */
    public Result tune(
            Dataset data,
            Map<String, String> fixed,
            long seed,
            Duration budget,
            SearchStore store,
            BooleanSupplier stop,
            Progress progress,
            NDManager manager) {
        ModelDefinition definition = Models.get(MODEL);
        Hyperparameters base = definition.resolve(fixed);
        SearchSpace space = new SearchSpace(base, fixed.keySet(), seed);
        SearchJournal resumed = store.journal().orElse(null);
        double spentBefore = resumed == null ? 0 : resumed.elapsedSeconds();
        if (resumed != null) {
            progress.resumed(resumed);
        }
        Deadline deadline = Deadline.after(budget, spentBefore);
        List<SuccessiveHalving<TrainingTrial>> journalling = new ArrayList<>(1);
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
                            store.point(number),
                            deadline,
                            stop,
                            report -> {
                                // after the epoch's checkpoint: the time it took is counted if the search is
                                // interrupted
                                journalling.forEach(SuccessiveHalving::saveJournal);
                                progress.epoch(number, report);
                            },
                            () -> releaseMemory
                                    .get()
                                    .ifPresent(released -> progress.line(String.format(
                                            Locale.ROOT,
                                            "point %d freed its model: %s, JVM heap %,d MB",
                                            number,
                                            released.describe(),
                                            Runtime.getRuntime().totalMemory() / (1024 * 1024)))));
                },
                progress::line,
                resumed,
                store::save);
        journalling.add(halving);
        SuccessiveHalving.Outcome<TrainingTrial> outcome;
        try {
            outcome = halving.run();
        } catch (RuntimeException | Error e) {
            store.release();
            throw e;
        }
        double elapsed = deadline.elapsedSeconds();
        TrainingTrial winner = outcome.winner().trial();
        TrainingRun.Trained finished;
        try {
            finished = winner.finish(manager);
        } finally {
            store.release();
        }
        double popular = FullRankingEvaluator.evaluate(PopularityRanking.embeddings(data), data, Split.VALID)
                .get(RankingMetrics.RECALL_20);
        double chosen = finished.result().valid().getOrDefault(RankingMetrics.RECALL_20, 0.0);
        List<SearchReport.Point> points = outcome.tried().stream()
                .map(e -> new SearchReport.Point(
                        e.number(),
                        e.bracket(),
                        e.point(),
                        e.epochs(),
                        e.bestEpoch(),
                        Double.isFinite(e.validRecall20()) ? e.validRecall20() : null,
                        e.failure() == null ? e.outcome() : "diverged: " + e.failure()))
                .toList();
        SearchReport report = new SearchReport(
                SearchReport.method(outcome.schedule()),
                budget.toSeconds() / 60.0,
                elapsed,
                spentBefore,
                outcome.budgetSpent(),
                settings,
                outcome.winner().number(),
                popular,
                chosen > popular,
                points);
        return new Result(finished.model(), finished.result(), winner.params(), report);
    }
}
