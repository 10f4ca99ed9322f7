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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code auto}: MambaRec with its own settings chosen by validation Recall@20 within a wall-clock
 * budget ({@link SuccessiveHalving}'s hedged brackets over {@link SearchSpace}). The result is a
 * {@code mambarec} model with the chosen settings: the chosen point's run or, when
 * {@link SearchSettings#members()} asks for more, a {@link SeedEnsemble} of runs of that setting
 * chosen by validation ({@link Ensemble}).
 *
 * <p>Memory: after each point's rung, its arrays freed, the memory glibc kept of them goes back to the
 * system ({@link NativeMemory#collectAndReleaseFreeMemory}, one progress line each); without it resident memory
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
        this(settings, NativeMemory::collectAndReleaseFreeMemory);
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
        TrainingResult result;
        try {
            finished = winner.finish(manager);
            int lastPoint = outcome.tried().stream()
                    .mapToInt(SuccessiveHalving.Entry::number)
                    .max()
                    .orElse(0);
            ensemble = new Ensemble(finished, winner.params(), seed);
            result = ensemble.build(trials, lastPoint, deadline, halving.secondsPerEpoch(), progress, data, manager);
        } finally {
            store.release();
        }
        double elapsed = deadline.elapsedSeconds();
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
                ensemble.report());
        return new Result(ensemble.model(), result, winner.params(), report);
    }

    /** Makes the trial of point {@code number}: the search's points and the ensemble's members. */
    @FunctionalInterface
    private interface TrialFactory {
        TrainingTrial create(int number, Hyperparameters params, long seed, Deadline deadline);
    }

    /**
     * The seed ensemble of the chosen setting. Candidates: the chosen point's run and, while the
     * budget lasts, further runs of its setting with the seeds after the search's ({@code seed + 1},
     * {@code seed + 2}, ...), each trained to its own early stop on validation. A run is started
     * only when the chosen run's epochs fit in what is left at the seconds per epoch measured so
     * far, and is a candidate only when it trained to its early stop (a run the budget cut is not the
     * setting's run). The members are then chosen by validation Recall@20 alone, greedily (Caruana,
     * Niculescu-Mizil, Crew and Ksikes, ICML 2004, without replacement): the best run, then the run
     * whose addition raises the ensemble's validation Recall@20 most, while one does. On TikTok,
     * runs of the paper's settings that early stopping ends early (patience 10) are weaker on
     * validation and on test alike, and the greedy choice leaves them out (docs/results.md).
     */
    private final class Ensemble {

        private record Run(
                int member, long seed, RecommenderModel model, TrainingResult result, Embeddings embeddings) {
            double valid() {
                return result.valid().get(RankingMetrics.RECALL_20);
            }
        }

        private final List<Run> runs = new ArrayList<>();
        private final List<SearchReport.Member> cut = new ArrayList<>();
        private final TrainingRun.Trained chosen;
        private final Hyperparameters params;
        private final long seed;
        private List<Run> members;
        private TrainingResult result;

        Ensemble(TrainingRun.Trained chosen, Hyperparameters params, long seed) {
            this.chosen = chosen;
            this.params = params;
            this.seed = seed;
            runs.add(run(1, seed, chosen));
        }

        private static Run run(int member, long seed, TrainingRun.Trained trained) {
            Embeddings embeddings = trained.result().bestEmbeddings() != null
                    ? trained.result().bestEmbeddings()
                    : trained.model().embeddings();
            return new Run(member, seed, trained.model(), trained.result(), embeddings);
        }

        /** Trains the further runs while the budget lasts, then chooses the members; returns the result. */
        TrainingResult build(
                TrialFactory trials,
                int lastPoint,
                Deadline deadline,
                double secondsPerEpoch,
                Progress progress,
                Dataset data,
                NDManager manager) {
            train(trials, lastPoint, deadline, secondsPerEpoch, progress, manager);
            choose(data, progress);
            return result;
        }

        private void train(
                TrialFactory trials,
                int lastPoint,
                Deadline deadline,
                double secondsPerEpoch,
                Progress progress,
                NDManager manager) {
            int epochs = chosen.result().epochs();
            for (int k = 1; k < settings.members(); k++) {
                double needed = epochs * secondsPerEpoch;
                if (deadline.passed() || needed > deadline.remainingSeconds()) {
                    progress.line(String.format(
                            Locale.ROOT,
                            "ensemble: %d run(s) of the chosen setting; %.0f s of the budget left, another would need"
                                    + " about %.0f s",
                            runs.size(),
                            deadline.remainingSeconds(),
                            needed));
                    return;
                }
                long memberSeed = seed + k;
                int number = lastPoint + k;
                progress.line(String.format(
                        Locale.ROOT,
                        "ensemble: run %d, the chosen setting with seed %d, as point %d (%.0f s of the budget left)",
                        k + 1,
                        memberSeed,
                        number,
                        deadline.remainingSeconds()));
                TrainingTrial trial = trials.create(number, params, memberSeed, deadline);
                trial.advanceTo(Integer.MAX_VALUE);
                if (trial.failure() != null || !trial.done()) {
                    cut.add(new SearchReport.Member(
                            k + 1,
                            memberSeed,
                            trial.epochs(),
                            trial.bestEpoch(),
                            Double.isFinite(trial.validRecall20()) ? trial.validRecall20() : null,
                            trial.failure() != null
                                    ? "diverged"
                                    : "budget spent at " + trial.epochs() + " epochs: not a candidate"));
                    trial.release();
                    return;
                }
                TrainingRun.Trained trained = trial.finish(manager);
                trial.release();
                runs.add(run(k + 1, memberSeed, trained));
                secondsPerEpoch = Math.max(secondsPerEpoch, trained.result().secondsPerEpoch());
            }
        }

        /** Greedy forward selection by validation Recall@20; the runs left out are closed. */
        private void choose(Dataset data, Progress progress) {
            List<Run> left = new ArrayList<>(runs);
            Run best = left.stream()
                    .max(Comparator.comparingDouble(Run::valid).thenComparing(r -> -r.member()))
                    .orElseThrow();
            members = new ArrayList<>(List.of(best));
            left.remove(best);
            Map<String, Double> valid = best.result().valid();
            Embeddings combined = best.embeddings();
            while (!left.isEmpty()) {
                Run bestAddition = null;
                Map<String, Double> bestValid = null;
                Embeddings bestCombined = null;
                for (Run candidate : left) {
                    Embeddings with = SeedEnsemble.concatenate(List.of(combined, candidate.embeddings()));
                    Map<String, Double> withValid = FullRankingEvaluator.evaluate(with, data, Split.VALID);
                    if (bestValid == null
                            || withValid.get(RankingMetrics.RECALL_20) > bestValid.get(RankingMetrics.RECALL_20)) {
                        bestAddition = candidate;
                        bestValid = withValid;
                        bestCombined = with;
                    }
                }
                if (bestValid.get(RankingMetrics.RECALL_20) <= valid.get(RankingMetrics.RECALL_20)) {
                    break;
                }
                members.add(bestAddition);
                left.remove(bestAddition);
                valid = bestValid;
                combined = bestCombined;
            }
            left.forEach(r -> r.model().close());
            if (runs.size() > 1) {
                progress.line(String.format(
                        Locale.ROOT,
                        "ensemble: runs %s of %d chosen by validation Recall@20: %.4f",
                        members.stream().map(Run::member).toList(),
                        runs.size(),
                        valid.get(RankingMetrics.RECALL_20)));
            }
            TrainingResult first = members.get(0).result();
            result = members.size() == 1
                    ? first
                    : new TrainingResult(
                            first.epochs(),
                            first.bestEpoch(),
                            first.secondsPerEpoch(),
                            valid,
                            FullRankingEvaluator.evaluate(combined, data, Split.TEST),
                            first.history(),
                            combined);
        }

        RecommenderModel model() {
            return members.size() == 1
                    ? members.get(0).model()
                    : new SeedEnsemble(
                            members.stream().map(Run::model).toList(),
                            members.stream().map(Run::seed).toList());
        }

        SearchReport.Ensemble report() {
            List<SearchReport.Member> all = new ArrayList<>();
            for (Run r : runs) {
                int position = members.indexOf(r);
                all.add(new SearchReport.Member(
                        r.member(),
                        r.seed(),
                        r.result().epochs(),
                        r.result().bestEpoch(),
                        r.valid(),
                        position >= 0
                                ? "member " + (position + 1) + " of " + members.size()
                                : "left out: it did not raise the ensemble's validation Recall@20"));
            }
            all.addAll(cut);
            all.sort(Comparator.comparingInt(SearchReport.Member::member));
            return new SearchReport.Ensemble(
                    settings.members(), members.size(), result.valid().get(RankingMetrics.RECALL_20), all);
        }
    }
}
