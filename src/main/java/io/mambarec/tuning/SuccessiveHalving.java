package io.mambarec.tuning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Successive halving on epochs (Jamieson and Talwalkar, 2016) within a wall-clock budget. A
 * bracket trains its points for {@code minEpochs} epochs, keeps the best 1/eta by validation
 * Recall@20, trains those eta times as long, and so on until one point is left, which then trains
 * until early stopping (or its {@code max_epochs}): weak settings stop after a few epochs and the
 * budget goes to the promising ones. The first bracket's first point is the model's defaults.
 *
 * <p>The budget decides how much is searched, never the code: the seconds an epoch takes are
 * measured as the search runs, and a bracket gets as many points (up to {@code points}) as its
 * rungs can train within {@code explorationShare} of the remaining budget; while budget remains
 * after a bracket, another bracket draws new points. Faster epochs therefore buy more points and
 * brackets. The budget is checked between epochs; once it is spent, the best point so far by
 * validation wins, as trained so far. With a budget that never binds, a seed always gives the same
 * points, rungs and winner.
 *
 * <p>Only validation figures choose; the test split is never looked at.
 *
 * @param <T> the trials
 */
public final class SuccessiveHalving<T extends Trial> {

    /** Makes the trial of a point. */
    @FunctionalInterface
    public interface TrialFactory<T> {
        T start(int number, Map<String, String> point);
    }

    /** One point tried: where it came from, its trial, and how it ended. */
    public static final class Entry<T extends Trial> {
        private final int number;
        private final int bracket;
        private final Map<String, String> point;
        private final T trial;
        private String outcome = "running";

        Entry(int number, int bracket, Map<String, String> point, T trial) {
            this.number = number;
            this.bracket = bracket;
            this.point = point;
            this.trial = trial;
        }

        public int number() {
            return number;
        }

        public int bracket() {
            return bracket;
        }

        public Map<String, String> point() {
            return point;
        }

        public T trial() {
            return trial;
        }

        /** "stopped after rung 1", "trained to the end", "budget spent", ... */
        public String outcome() {
            return outcome;
        }
    }

    /** Every point tried, in order, and the winner among them. */
    public record Outcome<T extends Trial>(Entry<T> winner, List<Entry<T>> tried, boolean budgetSpent) {}

    private final SearchSettings settings;
    private final Deadline deadline;
    private final Supplier<Map<String, String>> points;
    private final TrialFactory<T> factory;
    private final Consumer<String> log;
    private final List<Entry<T>> tried = new ArrayList<>();
    private long trainingNanos;
    private long epochsTrained;

    /**
     * @param points the points in order, the defaults first ({@link SearchSpace#next})
     * @param log told one line per decision (rungs, eliminations, brackets)
     */
    public SuccessiveHalving(
            SearchSettings settings,
            Deadline deadline,
            Supplier<Map<String, String>> points,
            TrialFactory<T> factory,
            Consumer<String> log) {
        this.settings = settings;
        this.deadline = deadline;
        this.points = points;
        this.factory = factory;
        this.log = log;
    }

    public Outcome<T> run() {
        List<Entry<T>> contenders = new ArrayList<>();
        boolean budgetSpent = false;
        for (int bracket = 1; bracket <= settings.brackets(); bracket++) {
            if (deadline.passed()) {
                budgetSpent = true;
                break;
            }
            List<Entry<T>> alive = new ArrayList<>();
            if (bracket == 1) {
                Entry<T> defaults = start(bracket);
                alive.add(defaults);
                advance(defaults, settings.minEpochs());
            }
            int n = affordablePoints(bracket == 1 ? settings.minEpochs() : 0);
            if (bracket > 1 && n < 2) {
                log(String.format(
                        Locale.ROOT,
                        "%.0f s of the budget left: not enough for another bracket",
                        deadline.remainingSeconds()));
                break;
            }
            while (alive.size() < n) {
                alive.add(start(bracket));
            }
            log(String.format(
                    Locale.ROOT,
                    "bracket %d: %d point(s), first rung %d epochs, %.0f s of the budget left",
                    bracket,
                    n,
                    settings.minEpochs(),
                    deadline.remainingSeconds()));
            Entry<T> survivor = halve(alive);
            if (survivor == null) {
                alive.forEach(e -> e.outcome = "budget spent at " + e.trial.epochs() + " epochs");
                contenders.addAll(alive);
                budgetSpent = true;
                break;
            }
            advance(survivor, Integer.MAX_VALUE);
            survivor.outcome = deadline.passed() && !survivor.trial.done()
                    ? "survived; budget spent at " + survivor.trial.epochs() + " epochs"
                    : "survived; trained to the end";
            contenders.add(survivor);
        }
        Entry<T> winner = contenders.stream()
                .filter(e -> e.trial.validRecall20() > Double.NEGATIVE_INFINITY)
                .max(Comparator.comparingDouble((Entry<T> e) -> e.trial.validRecall20())
                        .thenComparing(e -> -e.number))
                .orElseThrow(() ->
                        new IllegalStateException("no point of the search trained an epoch (every one diverged)"));
        contenders.stream().filter(e -> e != winner).forEach(e -> e.trial.release());
        winner.outcome = winner.outcome + "; chosen";
        return new Outcome<>(winner, List.copyOf(tried), budgetSpent || deadline.passed());
    }

    /** Rungs until one point is left (null when the budget ran out first). */
    private Entry<T> halve(List<Entry<T>> alive) {
        int epochs = settings.minEpochs();
        for (int rung = 1; ; rung++) {
            for (Entry<T> entry : alive) {
                if (deadline.passed()) {
                    return null;
                }
                advance(entry, epochs);
            }
            if (alive.size() == 1) {
                return alive.get(0);
            }
            alive.sort(Comparator.comparingDouble((Entry<T> e) -> -e.trial.validRecall20())
                    .thenComparingInt(e -> e.number));
            int keep = Math.max(1, alive.size() / settings.eta());
            List<Entry<T>> out = new ArrayList<>(alive.subList(keep, alive.size()));
            for (Entry<T> e : out) {
                e.outcome = "stopped after rung " + rung + " (" + e.trial.epochs() + " epochs)";
                e.trial.release();
            }
            alive.subList(keep, alive.size()).clear();
            log(String.format(
                    Locale.ROOT,
                    "rung %d (%d epochs): kept point(s) %s, stopped %s",
                    rung,
                    epochs,
                    alive.stream().map(e -> e.number).toList(),
                    out.stream().map(e -> e.number).toList()));
            epochs = (int) Math.min(Integer.MAX_VALUE, (long) epochs * settings.eta());
        }
    }

    /** Frees every trial (after a failure or a stop). */
    public void releaseAll() {
        tried.forEach(e -> e.trial.release());
    }

    private Entry<T> start(int bracket) {
        int number = tried.size() + 1;
        Map<String, String> point = points.get();
        Entry<T> entry = new Entry<>(number, bracket, point, factory.start(number, point));
        tried.add(entry);
        log("point " + number + (number == 1 ? " (defaults)" : "") + ": " + point);
        return entry;
    }

    private void advance(Entry<T> entry, int epochs) {
        if (entry.trial.done() || entry.trial.epochs() >= epochs) {
            return;
        }
        int before = entry.trial.epochs();
        long start = deadline.nanoTime();
        entry.trial.advanceTo(epochs);
        trainingNanos += deadline.nanoTime() - start;
        epochsTrained += entry.trial.epochs() - before;
    }

    /**
     * The most points (up to {@code points}) whose rungs fit in the exploration share of the
     * remaining budget at the measured seconds per epoch; {@code alreadyTrained} epochs of the first
     * point's first rung are paid for.
     */
    int affordablePoints(int alreadyTrained) {
        if (epochsTrained == 0) {
            return settings.points();
        }
        double secondsPerEpoch = trainingNanos / 1e9 / epochsTrained;
        double affordable =
                settings.explorationShare() * deadline.remainingSeconds() / secondsPerEpoch + alreadyTrained;
        int n = settings.points();
        while (n > 1 && rungEpochs(n) > affordable) {
            n--;
        }
        return n;
    }

    /** Epochs the rungs of a bracket of {@code n} points train, before its survivor trains on alone. */
    long rungEpochs(int n) {
        long total = 0;
        long previous = 0;
        long epochs = settings.minEpochs();
        for (int k = n; k > 1; k = Math.max(1, k / settings.eta())) {
            total += k * (epochs - previous);
            previous = epochs;
            epochs *= settings.eta();
        }
        return total;
    }

    private void log(String line) {
        log.accept(line);
    }
}
