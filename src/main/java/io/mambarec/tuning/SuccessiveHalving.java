package io.mambarec.tuning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Brackets of successive halving on epochs (Jamieson and Talwalkar, 2016), hedged as in Hyperband
 * (Li et al., JMLR 2018), within a wall-clock budget. A bracket trains its points for its first
 * rung's epochs, keeps the best 1/eta by validation Recall@20, trains those eta times as long, and
 * so on until one point is left, which then trains until early stopping (or its {@code max_epochs}):
 * weak settings stop early and the budget goes to the promising ones. The brackets differ in
 * aggressiveness ({@link BracketSchedule#HEDGED}): the first judges few points (the model's defaults
 * first) after a long first rung, later ones more points after shorter ones, so that settings that
 * start slowly but end best are not all judged at the horizon that stops them.
 *
 * <p>The budget decides how much is searched, never the code: the seconds an epoch takes are
 * measured as the search runs (the defaults' first {@code minEpochs} epochs before the first bracket
 * is sized), and a bracket gets as many points (up to its schedule's most) as its rungs can train
 * within {@code explorationShare} of the remaining budget; while budget remains after a bracket,
 * another bracket draws new points. Faster epochs therefore buy more points and brackets. The budget
 * is checked between epochs; once it is spent, the best point so far by validation wins, as trained
 * so far. With a budget that never binds, a seed always gives the same points, rungs and winner.
 *
 * <p>Memory: only the point being trained holds a model ({@link Trial#advanceTo} builds it from the
 * point's checkpoint and frees it when it returns); a point waiting for its next rung or for the
 * final choice is its checkpoint.
 *
 * <p>An interrupted search resumes from its {@link SearchJournal}: the points are drawn again in the
 * same order (the journal's settings used), a bracket's size and a rung's kept and stopped points
 * are taken from the journal rather than decided again (a bracket's size depends on measured
 * seconds per epoch, which a replay would measure differently), stopped points keep their journalled
 * figures and are never trained again, and the others resume from their checkpoints. A journal keeps
 * its schedule (one written before the hedge resumes with {@link BracketSchedule#PLAIN}). So a
 * resumed search makes the decisions it had made and continues as the uninterrupted one would have.
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
        /** Its figures once it was stopped (its trial freed), or as an earlier attempt journalled them. */
        private SearchJournal.Point frozen;

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

        /** Epochs trained. */
        public int epochs() {
            return frozen == null ? trial.epochs() : frozen.epochs();
        }

        /** 1-based epoch of its best validation Recall@20. */
        public int bestEpoch() {
            return frozen == null ? trial.bestEpoch() : frozen.bestEpoch();
        }

        /** Its best validation Recall@20; negative infinity before an epoch or after divergence. */
        public double validRecall20() {
            if (frozen == null) {
                return trial.validRecall20();
            }
            return frozen.validRecall20() == null ? Double.NEGATIVE_INFINITY : frozen.validRecall20();
        }

        /** Why it diverged, or null. */
        public String failure() {
            return frozen == null ? trial.failure() : frozen.failure();
        }

        boolean released() {
            return frozen != null && frozen.released();
        }

        SearchJournal.Point journalled(boolean released) {
            double valid = validRecall20();
            return new SearchJournal.Point(
                    number,
                    bracket,
                    point,
                    epochs(),
                    bestEpoch(),
                    Double.isFinite(valid) ? valid : null,
                    failure(),
                    outcome,
                    released);
        }
    }

    /** Every point tried, in order, the winner among them, and the brackets' schedule. */
    public record Outcome<T extends Trial>(
            Entry<T> winner, List<Entry<T>> tried, boolean budgetSpent, BracketSchedule schedule) {}

    private final SearchSettings settings;
    private final BracketSchedule schedule;
    private final Deadline deadline;
    private final UnaryOperator<Map<String, String>> points;
    private final TrialFactory<T> factory;
    private final Consumer<String> log;
    private final SearchJournal resumed;
    private final Consumer<SearchJournal> journal;
    private final List<Entry<T>> tried = new ArrayList<>();
    /** The decisions so far: bracket number -> its size and rungs. */
    private final Map<Integer, SearchJournal.Bracket> brackets = new LinkedHashMap<>();

    private long trainingNanos;
    private long epochsTrained;
    private int current;

    /**
     * A new search.
     *
     * @param points the next point given the incumbent (or null), the defaults first ({@link SearchSpace#next(Map)})
     * @param log told one line per decision (rungs, eliminations, brackets)
     */
    public SuccessiveHalving(
            SearchSettings settings,
            Deadline deadline,
            UnaryOperator<Map<String, String>> points,
            TrialFactory<T> factory,
            Consumer<String> log) {
        this(settings, deadline, points, factory, log, null, j -> {});
    }

    /**
     * A search that journals its decisions and resumes an interrupted one.
     *
     * @param points the next point given the incumbent (or null), the defaults first ({@link SearchSpace#next(Map)})
     * @param log told one line per decision (rungs, eliminations, brackets)
     * @param resumed the interrupted search's journal (its deadline must count the time it spent), or null
     * @param journal told the journal after every decision and {@link #saveJournal}
     */
    public SuccessiveHalving(
            SearchSettings settings,
            Deadline deadline,
            UnaryOperator<Map<String, String>> points,
            TrialFactory<T> factory,
            Consumer<String> log,
            SearchJournal resumed,
            Consumer<SearchJournal> journal) {
        this(settings, BracketSchedule.HEDGED, deadline, points, factory, log, resumed, journal);
    }

    /**
     * A search on the given schedule, or on its journal's when it resumes one.
     *
     * @param schedule the brackets of a new search ({@link BracketSchedule#PLAIN}: the baseline)
     */
    SuccessiveHalving(
            SearchSettings settings,
            BracketSchedule schedule,
            Deadline deadline,
            UnaryOperator<Map<String, String>> points,
            TrialFactory<T> factory,
            Consumer<String> log,
            SearchJournal resumed,
            Consumer<SearchJournal> journal) {
        this.settings = settings;
        this.schedule = resumed == null ? schedule : BracketSchedule.of(resumed.schedule());
        this.deadline = deadline;
        this.points = points;
        this.factory = factory;
        this.log = log;
        this.resumed = resumed;
        this.journal = journal;
        if (resumed != null) {
            trainingNanos = (long) (resumed.trainingSeconds() * 1e9);
            epochsTrained = resumed.epochsTrained();
            resumed.brackets().forEach(b -> brackets.put(b.bracket(), b));
        }
    }

    public Outcome<T> run() {
        List<Entry<T>> contenders = new ArrayList<>();
        boolean budgetSpent = false;
        for (int bracket = 1; bracket <= settings.brackets(); bracket++) {
            SearchJournal.Bracket decided = brackets.get(bracket);
            if (decided == null && deadline.passed()) {
                budgetSpent = true;
                break;
            }
            int firstRung = schedule.firstRung(settings, bracket);
            List<Entry<T>> alive = new ArrayList<>();
            if (bracket == 1) {
                Entry<T> defaults = start(bracket);
                alive.add(defaults);
                // its first epochs measure the seconds per epoch that size the bracket
                advance(defaults, Math.min(firstRung, settings.minEpochs()));
            }
            int n = decided != null
                    ? decided.points()
                    : affordablePoints(
                            bracket,
                            bracket == 1 ? Math.min(firstRung, alive.get(0).epochs()) : 0);
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
            if (decided == null) {
                brackets.put(bracket, new SearchJournal.Bracket(bracket, n, List.of()));
                saveJournal();
            }
            log(String.format(
                    Locale.ROOT,
                    "bracket %d: %d point(s), first rung %d epochs, %.0f s of the budget left%s",
                    bracket,
                    n,
                    firstRung,
                    deadline.remainingSeconds(),
                    decided == null ? "" : " (resumed)"));
            Entry<T> survivor = halve(bracket, alive);
            if (survivor == null) {
                alive.forEach(e -> e.outcome = "budget spent at " + e.epochs() + " epochs");
                contenders.addAll(alive);
                budgetSpent = true;
                break;
            }
            if (!survivor.released()) {
                advance(survivor, Integer.MAX_VALUE);
                survivor.outcome = deadline.passed() && !survivor.trial.done()
                        ? "survived; budget spent at " + survivor.epochs() + " epochs"
                        : "survived; trained to the end";
                saveJournal();
            }
            contenders.add(survivor);
        }
        Entry<T> winner = contenders.stream()
                .filter(e -> e.validRecall20() > Double.NEGATIVE_INFINITY)
                .max(Comparator.comparingDouble((Entry<T> e) -> e.validRecall20())
                        .thenComparing(e -> -e.number))
                .orElseThrow(() ->
                        new IllegalStateException("no point of the search trained an epoch (every one diverged)"));
        winner.outcome = winner.outcome + "; chosen";
        List<Entry<T>> losers =
                contenders.stream().filter(e -> e != winner && !e.released()).toList();
        retire(losers);
        return new Outcome<>(winner, List.copyOf(tried), budgetSpent || deadline.passed(), schedule);
    }

    /** Rungs until one point is left (null when the budget ran out first). */
    private Entry<T> halve(int bracket, List<Entry<T>> alive) {
        int epochs = schedule.firstRung(settings, bracket);
        for (int rung = 1; ; rung++) {
            SearchJournal.Rung decided = decidedRung(bracket, rung);
            if (decided == null) {
                for (Entry<T> entry : alive) {
                    if (deadline.passed()) {
                        return null;
                    }
                    advance(entry, epochs);
                }
            }
            if (alive.size() == 1) {
                return alive.get(0);
            }
            List<Entry<T>> out;
            if (decided == null) {
                alive.sort(Comparator.comparingDouble((Entry<T> e) -> -e.validRecall20())
                        .thenComparingInt(e -> e.number));
                int keep = Math.max(1, alive.size() / settings.eta());
                out = new ArrayList<>(alive.subList(keep, alive.size()));
                alive.subList(keep, alive.size()).clear();
                protectDefaults(alive, out);
                for (Entry<T> e : out) {
                    e.outcome = "stopped after rung " + rung + " (" + e.epochs() + " epochs)";
                }
                List<SearchJournal.Rung> rungs =
                        new ArrayList<>(brackets.get(bracket).rungs());
                rungs.add(new SearchJournal.Rung(rung, epochs, numbers(alive), numbers(out)));
                brackets.put(
                        bracket,
                        new SearchJournal.Bracket(bracket, brackets.get(bracket).points(), List.copyOf(rungs)));
            } else {
                List<Entry<T>> all = List.copyOf(alive);
                alive.clear();
                decided.kept().forEach(k -> alive.add(byNumber(all, k)));
                out = decided.stopped().stream().map(k -> byNumber(all, k)).toList();
            }
            retire(out.stream().filter(e -> !e.released()).toList());
            log(String.format(
                    Locale.ROOT,
                    "rung %d (%d epochs): kept point(s) %s, stopped %s%s",
                    rung,
                    epochs,
                    numbers(alive),
                    numbers(out),
                    decided == null ? "" : " (resumed)"));
            epochs = (int) Math.min(Integer.MAX_VALUE, (long) epochs * settings.eta());
        }
    }

    /**
     * On the hedged schedule no rung stops the model's defaults (point 1): they go on beside the
     * rung's best until both have trained to early stopping, and the better by validation survives.
     * A rung judges at a horizon; the paper's defaults on TikTok still rise at 45 epochs (valid
     * 0.1083, peak 0.1126 at 66) and a neighbour that peaks sooner (knn_k 20: 0.1100 at 36) would
     * stop them. So the search never ends below the defaults on validation once it has trained
     * them to the end, at the cost of training them to the end. Once they have ended (or diverged)
     * their figure is final and a rung may stop them.
     */
    private void protectDefaults(List<Entry<T>> alive, List<Entry<T>> out) {
        if (schedule != BracketSchedule.HEDGED) {
            return;
        }
        out.stream()
                .filter(e -> e.number == 1 && e.frozen == null && !e.trial.done()) // still training
                .findFirst()
                .ifPresent(defaults -> {
                    out.remove(defaults);
                    alive.add(defaults);
                });
    }

    /**
     * Stops these points for good: their figures are journalled first, then their trials freed, so
     * that a search interrupted in between frees them again rather than training them afresh.
     */
    private void retire(List<Entry<T>> entries) {
        for (Entry<T> e : entries) {
            e.frozen = e.journalled(true);
        }
        saveJournal();
        entries.forEach(e -> e.trial.release());
    }

    private SearchJournal.Rung decidedRung(int bracket, int rung) {
        return brackets.get(bracket).rungs().stream()
                .filter(r -> r.rung() == rung)
                .findFirst()
                .orElse(null);
    }

    private Entry<T> byNumber(List<Entry<T>> entries, int number) {
        return entries.stream()
                .filter(e -> e.number == number)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "the journal names point " + number + ", which its bracket does not hold"));
    }

    private static List<Integer> numbers(List<? extends Entry<?>> entries) {
        return entries.stream().map(Entry::number).toList();
    }

    private Entry<T> start(int bracket) {
        int number = tried.size() + 1;
        // drawn even when journalled, so the generator stands where the uninterrupted search's would
        Map<String, String> drawn = points.apply(incumbent());
        SearchJournal.Point known =
                resumed == null ? null : resumed.point(number).orElse(null);
        Map<String, String> point = known == null ? drawn : known.settings();
        Entry<T> entry = new Entry<>(number, bracket, point, factory.start(number, point));
        tried.add(entry);
        if (known == null) {
            log("point " + number + (number == 1 ? " (defaults)" : "") + ": " + drawn);
            saveJournal();
        } else if (known.released() || known.failure() != null) {
            entry.frozen = known;
            entry.outcome = known.outcome();
            entry.trial.release(); // in case the interrupted attempt had not freed it yet
            log("point " + number + ": " + known.outcome() + " (resumed)");
        } else {
            log("point " + number + ": resumed at " + entry.epochs() + " epochs");
        }
        return entry;
    }

    /**
     * The best point so far by validation Recall@20 (the earlier on ties), or null. Points are drawn
     * when their bracket starts, when the earlier brackets' figures are final, so a resumed search
     * sees the incumbent the uninterrupted one saw.
     */
    private Map<String, String> incumbent() {
        return tried.stream()
                .filter(e -> e.validRecall20() > Double.NEGATIVE_INFINITY)
                .max(Comparator.comparingDouble((Entry<T> e) -> e.validRecall20())
                        .thenComparing(e -> -e.number))
                .map(Entry::point)
                .orElse(null);
    }

    private void advance(Entry<T> entry, int epochs) {
        if (entry.frozen != null || entry.trial.done() || entry.trial.epochs() >= epochs) {
            return;
        }
        if (deadline.passed()) {
            return; // spent (by this attempt or the earlier ones): not one epoch more
        }
        current = entry.number;
        int before = entry.trial.epochs();
        long start = deadline.nanoTime();
        entry.trial.advanceTo(epochs);
        trainingNanos += deadline.nanoTime() - start;
        epochsTrained += entry.trial.epochs() - before;
        if (entry.trial.failure() != null) {
            entry.frozen = entry.journalled(true);
        }
        saveJournal();
    }

    /** Mean wall seconds of one epoch of the points trained so far (evaluation included); 0 before any. */
    public double secondsPerEpoch() {
        return epochsTrained == 0 ? 0 : trainingNanos / 1e9 / epochsTrained;
    }

    /** Saves the journal: the decisions so far, every point as it stands and the time spent. */
    public void saveJournal() {
        journal.accept(new SearchJournal(
                deadline.elapsedSeconds(),
                trainingNanos / 1e9,
                epochsTrained,
                current,
                tried.stream()
                        .map(e -> e.frozen != null ? e.frozen : e.journalled(false))
                        .toList(),
                List.copyOf(brackets.values()),
                schedule.name()));
    }
    /**
     * The most points (up to the bracket's schedule allows) whose rungs fit in the exploration share
     * of the remaining budget at the measured seconds per epoch; {@code alreadyTrained} epochs of the
     * first point's first rung are paid for.
     */
    int affordablePoints(int bracket, int alreadyTrained) {
        int n = schedule.maxPoints(settings, bracket);
        if (epochsTrained == 0) {
            return n;
        }
        double secondsPerEpoch = trainingNanos / 1e9 / epochsTrained;
        double affordable =
                settings.explorationShare() * deadline.remainingSeconds() / secondsPerEpoch + alreadyTrained;
        int firstRung = schedule.firstRung(settings, bracket);
        while (n > 1 && rungEpochs(n, firstRung) > affordable) {
            n--;
        }
        return n;
    }

    /**
     * Epochs the rungs of a bracket of {@code n} points starting at {@code firstRung} epochs train,
     * before its survivor trains on alone.
     */
    long rungEpochs(int n, int firstRung) {
        long total = 0;
        long previous = 0;
        long epochs = firstRung;
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
