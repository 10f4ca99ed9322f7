package io.mambarec.tuning;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.Split;
import io.mambarec.evaluation.FullRankingEvaluator;
import io.mambarec.evaluation.PopularityRanking;
import io.mambarec.evaluation.RankingMetrics;
import io.mambarec.model.Embeddings;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.SeedEnsemble;
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
        // the search of settings stops early enough to leave the ensemble its share
        Deadline searchDeadline = Deadline.after(
                Duration.ofMillis(Math.max(1, (long) (budget.toMillis() * settings.searchShare()))), spentBefore);
        List<SuccessiveHalving<TrainingTrial>> journalling = new ArrayList<>(1);
        TrialFactory trials = (number, params, trialSeed, trialDeadline) -> new TrainingTrial(
                definition,
                params,
                data,
                trialSeed,
                store.point(number),
                trialDeadline,
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
        SuccessiveHalving<TrainingTrial> halving = new SuccessiveHalving<>(
                settings,
                searchDeadline,
                space::next,
                (number, point) -> {
                    Map<String, String> overrides = new LinkedHashMap<>(fixed);
                    overrides.putAll(point);
                    return trials.create(number, definition.resolve(overrides), seed, searchDeadline);
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
        TrainingTrial winner = outcome.winner().trial();
        TrainingRun.Trained finished;
        Ensemble ensemble;
        try {
            finished = winner.finish(manager);
            int lastPoint = outcome.tried().stream()
                    .mapToInt(SuccessiveHalving.Entry::number)
                    .max()
                    .orElse(0);
            ensemble = new Ensemble(finished, winner.params(), seed);
            ensemble.grow(trials, lastPoint, deadline, halving.secondsPerEpoch(), progress, data, manager);
        } finally {
            store.release();
        }
        double elapsed = deadline.elapsedSeconds();
        TrainingResult result = ensemble.result(data);
        double popular = FullRankingEvaluator.evaluate(PopularityRanking.embeddings(data), data, Split.VALID)
                .get(RankingMetrics.RECALL_20);
        double chosen = result.valid().getOrDefault(RankingMetrics.RECALL_20, 0.0);
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
                points,
                ensemble.report(result));
        return new Result(ensemble.model(), result, winner.params(), report);
    }

    /** Makes the trial of point {@code number}: the search's points and the ensemble's members. */
    @FunctionalInterface
    private interface TrialFactory {
        TrainingTrial create(int number, Hyperparameters params, long seed, Deadline deadline);
    }

    /**
     * The chosen point's run and, while the budget lasts, further runs of its setting with the seeds
     * after the search's ({@code seed + 1}, {@code seed + 2}, ...), each trained to its own early stop
     * on validation. A member is started only when the chosen run's epochs fit in what is left at the
     * search's seconds per epoch, and kept only when it trained to its early stop (a run the budget
     * cut is not the setting's run). Members are not chosen by comparing the ensemble's validation
     * Recall@20 with the chosen run's: that figure is the best of many points and epochs, biased
     * upwards by the choice, and a fair ensemble would rarely pass it (docs/design.md).
     */
    private final class Ensemble {

        private final List<RecommenderModel> models = new ArrayList<>();
        private final List<Long> seeds = new ArrayList<>();
        private final List<SearchReport.Member> members = new ArrayList<>();
        private final TrainingRun.Trained chosen;
        private final Hyperparameters params;
        private final long seed;

        Ensemble(TrainingRun.Trained chosen, Hyperparameters params, long seed) {
            this.chosen = chosen;
            this.params = params;
            this.seed = seed;
            models.add(chosen.model());
            seeds.add(seed);
            members.add(memberOf(0, seed, chosen.result(), "the chosen point"));
        }

        void grow(
                TrialFactory trials,
                int lastPoint,
                Deadline deadline,
                double secondsPerEpoch,
                Progress progress,
                Dataset data,
                NDManager manager) {
            int epochs = chosen.result().epochs();
            for (int k = 1; k < settings.members(); k++) {
                double needed = epochs * secondsPerEpoch;
                if (deadline.passed() || needed > deadline.remainingSeconds()) {
                    progress.line(String.format(
                            Locale.ROOT,
                            "ensemble: %d member(s); %.0f s of the budget left, member %d would need about %.0f s",
                            models.size(),
                            deadline.remainingSeconds(),
                            k + 1,
                            needed));
                    return;
                }
                long memberSeed = seed + k;
                int number = lastPoint + k;
                progress.line(String.format(
                        Locale.ROOT,
                        "ensemble: member %d, the chosen setting with seed %d, as point %d (%.0f s of the budget left)",
                        k + 1,
                        memberSeed,
                        number,
                        deadline.remainingSeconds()));
                TrainingTrial member = trials.create(number, params, memberSeed, deadline);
                member.advanceTo(Integer.MAX_VALUE);
                if (member.failure() != null || !member.done()) {
                    String why = member.failure() != null ? "diverged" : "budget spent at " + member.epochs() + " epochs";
                    members.add(new SearchReport.Member(
                            k + 1, memberSeed, member.epochs(), member.bestEpoch(), finite(member.validRecall20()), why));
                    member.release();
                    return;
                }
                TrainingRun.Trained trained = member.finish(manager);
                member.release();
                models.add(trained.model());
                seeds.add(memberSeed);
                members.add(memberOf(k, memberSeed, trained.result(), "trained to its early stop"));
                secondsPerEpoch = Math.max(secondsPerEpoch, trained.result().secondsPerEpoch());
            }
        }

        private SearchReport.Member memberOf(int k, long memberSeed, TrainingResult result, String outcome) {
            return new SearchReport.Member(
                    k + 1,
                    memberSeed,
                    result.epochs(),
                    result.bestEpoch(),
                    result.valid().get(RankingMetrics.RECALL_20),
                    outcome);
        }

        private static Double finite(double value) {
            return Double.isFinite(value) ? value : null;
        }

        RecommenderModel model() {
            return models.size() == 1 ? models.get(0) : new SeedEnsemble(models, seeds);
        }

        /**
         * The chosen run's result, or the ensemble's: its validation and test figures, and its
         * embeddings; epochs and history stay the chosen run's.
         */
        TrainingResult result(Dataset data) {
            TrainingResult single = chosen.result();
            if (models.size() == 1) {
                return single;
            }
            List<Embeddings> each = new ArrayList<>(models.size());
            models.forEach(m -> each.add(m.embeddings()));
            Embeddings combined = SeedEnsemble.concatenate(each);
            return new TrainingResult(
                    single.epochs(),
                    single.bestEpoch(),
                    single.secondsPerEpoch(),
                    FullRankingEvaluator.evaluate(combined, data, Split.VALID),
                    FullRankingEvaluator.evaluate(combined, data, Split.TEST),
                    single.history(),
                    combined);
        }

        SearchReport.Ensemble report(TrainingResult result) {
            return new SearchReport.Ensemble(
                    settings.members(), models.size(), result.valid().get(RankingMetrics.RECALL_20), List.copyOf(members));
        }
    }
}
