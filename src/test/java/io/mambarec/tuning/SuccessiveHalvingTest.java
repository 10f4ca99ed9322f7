package io.mambarec.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.model.Hyperparameters;
import io.mambarec.model.Models;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The search's decisions with made-up trials on a made-up clock: each point has a validation curve
 * that rises towards its own ceiling, and every epoch costs a fixed number of seconds.
 */
class SuccessiveHalvingTest {

    private static final Hyperparameters MAMBAREC = Models.get("mambarec").resolve(Map.of());

    /** A point whose validation Recall@20 after e epochs is ceiling * (1 - rate^e); it stops early at maxEpochs. */
    static final class CurveTrial implements Trial {
        final double ceiling;
        final double rate;
        final double test;
        final int maxEpochs;
        final AtomicLong clock;
        final long nanosPerEpoch;
        final Deadline deadline;
        int epochs;
        boolean released;

        CurveTrial(
                double ceiling, double test, int maxEpochs, AtomicLong clock, long nanosPerEpoch, Deadline deadline) {
            this(ceiling, 0.9, test, maxEpochs, clock, nanosPerEpoch, deadline);
        }

        CurveTrial(
                double ceiling,
                double rate,
                double test,
                int maxEpochs,
                AtomicLong clock,
                long nanosPerEpoch,
                Deadline deadline) {
            this.ceiling = ceiling;
            this.rate = rate;
            this.test = test;
            this.maxEpochs = maxEpochs;
            this.clock = clock;
            this.nanosPerEpoch = nanosPerEpoch;
            this.deadline = deadline;
        }

        @Override
        public void advanceTo(int target) {
            assertThat(released).as("advanced after release").isFalse();
            while (epochs < Math.min(target, maxEpochs)) {
                epochs++;
                clock.addAndGet(nanosPerEpoch);
                if (deadline.passed()) { // checked between epochs
                    return;
                }
            }
        }

        @Override
        public double validRecall20() {
            return epochs == 0 ? Double.NEGATIVE_INFINITY : ceiling * (1 - Math.pow(rate, epochs));
        }

        @Override
        public int epochs() {
            return epochs;
        }

        @Override
        public boolean done() {
            return epochs >= maxEpochs;
        }

        @Override
        public void release() {
            released = true;
        }
    }

    /** Makes a point's trial: its curve from its number and settings. */
    interface Curves {
        CurveTrial trial(
                int number, Map<String, String> point, AtomicLong clock, long nanosPerEpoch, Deadline deadline);
    }

    /** A ceiling from the point's settings: 0.05 to 0.15. */
    static final Curves BY_SETTINGS = (number, point, clock, nanos, deadline) -> new CurveTrial(
            0.05 + (Math.abs(point.hashCode()) % 1000) / 10_000.0, 0, Integer.MAX_VALUE, clock, nanos, deadline);

    /** A search over MambaRec's space where a point's curve comes from its settings and seed. */
    static final class Search {
        final AtomicLong clock = new AtomicLong();
        final Deadline deadline;
        final List<CurveTrial> trials = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        final List<SearchJournal> journals = new ArrayList<>();
        final SuccessiveHalving.Outcome<CurveTrial> outcome;

        Search(long seed, SearchSettings settings, Duration budget, double secondsPerEpoch, int maxEpochs) {
            this(BracketSchedule.HEDGED, seed, settings, budget, secondsPerEpoch, maxEpochs, BY_SETTINGS, null, true);
        }

        /** @param neighbours whether points alternate with neighbours of the incumbent (else random only) */
        Search(
                BracketSchedule schedule,
                long seed,
                SearchSettings settings,
                Duration budget,
                double secondsPerEpoch,
                int maxEpochs,
                Curves curves,
                SearchJournal resumed,
                boolean neighbours) {
            deadline = new Deadline(budget, resumed == null ? 0 : resumed.elapsedSeconds(), clock::get);
            SearchSpace space = new SearchSpace(MAMBAREC, Set.of(), seed);
            outcome = new SuccessiveHalving<CurveTrial>(
                            settings,
                            schedule,
                            deadline,
                            neighbours ? space::next : incumbent -> space.next(),
                            (number, point) -> {
                                CurveTrial c =
                                        curves.trial(number, point, clock, (long) (secondsPerEpoch * 1e9), deadline);
                                CurveTrial t = new CurveTrial(
                                        c.ceiling,
                                        c.rate,
                                        c.test,
                                        Math.min(maxEpochs, c.maxEpochs),
                                        clock,
                                        (long) (secondsPerEpoch * 1e9),
                                        deadline);
                                trials.add(t);
                                return t;
                            },
                            log::add,
                            resumed,
                            journals::add)
                    .run();
        }

        List<Integer> epochs() {
            return trials.stream().map(t -> t.epochs).toList();
        }

        /** Points drawn per bracket, in order. */
        List<Long> pointsPerBracket() {
            int last = outcome.tried().stream().mapToInt(e -> e.bracket()).max().orElse(0);
            List<Long> counts = new ArrayList<>();
            for (int b = 1; b <= last; b++) {
                int bracket = b;
                counts.add(outcome.tried().stream()
                        .filter(e -> e.bracket() == bracket)
                        .count());
            }
            return counts;
        }

        /** The first rungs the log names, bracket by bracket. */
        List<Integer> firstRungs() {
            return log.stream()
                    .filter(l -> l.startsWith("bracket "))
                    .map(l -> Integer.parseInt(l.replaceAll(".*first rung (\\d+) epochs.*", "$1")))
                    .toList();
        }
    }

    static final SearchSettings NINE_BY_THREE = new SearchSettings(9, 3, 5, 1, 0.5);
    /** The defaults: 9 points, eta 3, 5 epochs, 6 brackets. */
    static final SearchSettings DEFAULTS = new SearchSettings(9, 3, 5, 6, 0.5);

    @Test
    void theBracketsGoFromTheMostConservativeToTheMostExploratoryAndRepeat() {
        // s_max = floor(log_3 9) = 2: first rungs 5 * 3^(2 - s), at most ceil(3 / (s + 1) * 3^s) points
        List<Integer> rungs = new ArrayList<>();
        List<Integer> points = new ArrayList<>();
        for (int b = 1; b <= 7; b++) {
            rungs.add(BracketSchedule.HEDGED.firstRung(DEFAULTS, b));
            points.add(BracketSchedule.HEDGED.maxPoints(DEFAULTS, b));
        }
        assertThat(rungs).containsExactly(45, 15, 5, 45, 15, 5, 45);
        assertThat(points).containsExactly(3, 5, 9, 3, 5, 9, 3);
        // 3 points, eta 3: s_max 1 (rungs 6, 2); 4 points, eta 2: s_max 2 (rungs 4, 2, 1)
        SearchSettings three = new SearchSettings(3, 3, 2, 2, 0.5);
        assertThat(BracketSchedule.HEDGED.firstRung(three, 1)).isEqualTo(6);
        assertThat(BracketSchedule.HEDGED.maxPoints(three, 1)).isEqualTo(2);
        assertThat(BracketSchedule.HEDGED.firstRung(three, 2)).isEqualTo(2);
        assertThat(BracketSchedule.HEDGED.maxPoints(three, 2)).isEqualTo(3);
        SearchSettings four = new SearchSettings(4, 2, 1, 3, 1.0);
        assertThat(List.of(1, 2, 3).stream()
                        .map(b -> BracketSchedule.HEDGED.firstRung(four, b))
                        .toList())
                .containsExactly(4, 2, 1);
        assertThat(List.of(1, 2, 3).stream()
                        .map(b -> BracketSchedule.HEDGED.maxPoints(four, b))
                        .toList())
                .containsExactly(3, 3, 4);
        // one point: one kind of bracket, the defaults at min-epochs
        SearchSettings one = new SearchSettings(1, 3, 5, 3, 0.5);
        assertThat(BracketSchedule.HEDGED.firstRung(one, 2)).isEqualTo(5);
        assertThat(BracketSchedule.HEDGED.maxPoints(one, 2)).isEqualTo(1);
        // the plain schedule: every bracket as the most exploratory
        assertThat(BracketSchedule.PLAIN.firstRung(DEFAULTS, 1)).isEqualTo(5);
        assertThat(BracketSchedule.PLAIN.maxPoints(DEFAULTS, 1)).isEqualTo(9);
    }

    @Test
    void aBudgetOfAnHourAtSixSecondsAnEpochPaysForThreeBrackets() {
        // every point trains 70 epochs at most; a bracket's rungs get half of the remaining budget:
        // bracket 1 (3 x 45 = 135 epochs of rungs; point 2 leads at 45 epochs and the defaults, never
        // stopped by a rung, train on beside it to 70) leaves 2,490 s, bracket 2 (5 x 15) 1,710 s,
        // bracket 3 (9 x 5 + 3 x 10) 930 s: 77 epochs for rungs do not pay for 2 x 45
        Search s = new Search(7, DEFAULTS, Duration.ofMinutes(60), 6, 70);
        assertThat(s.firstRungs()).as(String.join("\n", s.log)).containsExactly(45, 15, 5);
        assertThat(s.pointsPerBracket()).containsExactly(3L, 5L, 9L);
        assertThat(s.log).contains("930 s of the budget left: not enough for another bracket");
        assertThat(s.outcome.tried().get(0).epochs()).isEqualTo(70);
        assertThat(s.outcome.tried().get(0).point())
                .as("the defaults come first")
                .containsEntry("layers", "4");
    }

    @Test
    void aSmallBudgetTrainsTheDefaultsToTheEnd() {
        // 10 minutes at 6 s an epoch: after the defaults' 5 measuring epochs, half of the 570 s left pays
        // for 47 epochs, fewer than 2 x 45: the first bracket is the defaults alone, trained to their end
        Search s = new Search(7, DEFAULTS, Duration.ofMinutes(10), 6, 70);
        assertThat(s.trials).hasSize(1);
        assertThat(s.outcome.winner().number()).isEqualTo(1);
        assertThat(s.outcome.winner().trial().epochs()).isEqualTo(70);
        assertThat(s.outcome.winner().outcome()).contains("trained to the end", "chosen");
        assertThat(s.outcome.budgetSpent()).isFalse();
        assertThat(s.log).anyMatch(line -> line.contains("not enough for another bracket"));
    }

    @Test
    void aSlowStartingPointThatEndsBestIsChosenWhereSuccessiveHalvingStopsIt() {
        // planted: the defaults climb slowly to the highest ceiling (0.2 * (1 - 0.97^e): 0.028 after 5
        // epochs, 0.075 after 15, 0.149 after 45, 0.176 after 70); every other point rises fast to a
        // lower one (0.08 to 0.14, rate 0.7)
        Curves planted = (number, point, clock, nanos, deadline) -> number == 1
                ? new CurveTrial(0.2, 0.97, 0, Integer.MAX_VALUE, clock, nanos, deadline)
                : new CurveTrial(
                        0.08 + (Math.abs(point.hashCode()) % 600) / 10_000.0,
                        0.7,
                        0,
                        Integer.MAX_VALUE,
                        clock,
                        nanos,
                        deadline);
        SearchSettings threeBrackets = new SearchSettings(9, 3, 5, 3, 0.5);
        Search hedged =
                new Search(BracketSchedule.HEDGED, 7, threeBrackets, Duration.ofHours(10), 1, 70, planted, null, true);
        Search plain =
                new Search(BracketSchedule.PLAIN, 7, threeBrackets, Duration.ofHours(10), 1, 70, planted, null, true);

        assertThat(hedged.outcome.winner().number()).isEqualTo(1);
        assertThat(hedged.outcome.winner().trial().epochs()).isEqualTo(70);
        assertThat(hedged.outcome.winner().validRecall20()).isGreaterThan(0.17);
        // successive halving judges it after 5 epochs and stops it
        SuccessiveHalving.Entry<CurveTrial> defaults = plain.outcome.tried().get(0);
        assertThat(defaults.epochs()).isEqualTo(5);
        assertThat(defaults.outcome()).startsWith("stopped after rung 1");
        assertThat(plain.outcome.winner().number()).isNotEqualTo(1);
        assertThat(plain.outcome.winner().validRecall20()).isLessThan(0.15);
    }

    @Test
    void noRungStopsTheDefaultsBeforeTheyEndSoTheSearchNeverEndsBelowThem() {
        // planted: the defaults climb slowly to 0.176 at 70 epochs (0.149 after 45); every other point
        // rises fast to 0.155-0.165 by its early stop at 40 epochs, above the defaults at the 45-epoch rung
        Curves planted = (number, point, clock, nanos, deadline) -> number == 1
                ? new CurveTrial(0.2, 0.97, 0, 70, clock, nanos, deadline)
                : new CurveTrial(
                        0.155 + (Math.abs(point.hashCode()) % 100) / 10_000.0, 0.7, 0, 40, clock, nanos, deadline);
        SearchSettings oneBracket = new SearchSettings(9, 3, 5, 1, 0.5);
        Search s = new Search(BracketSchedule.HEDGED, 7, oneBracket, Duration.ofHours(10), 1, 100, planted, null, true);

        SuccessiveHalving.Entry<CurveTrial> defaults = s.outcome.tried().get(0);
        assertThat(s.log).anyMatch(l -> l.startsWith("rung 1 (45 epochs): kept point(s) [") && l.contains(", 1]"));
        assertThat(defaults.epochs()).isEqualTo(70);
        assertThat(s.outcome.winner().number()).isEqualTo(1);
        assertThat(s.outcome.tried()).allMatch(e -> e.validRecall20() <= defaults.validRecall20());
    }

    @Test
    void rungsKeepATHirdAndTrainThemThreeTimesAsLong() {
        // the most exploratory bracket: plain successive halving
        Search s = new Search(
                BracketSchedule.PLAIN, 7, NINE_BY_THREE, Duration.ofHours(10), 1, 100, BY_SETTINGS, null, true);
        assertThat(s.trials).hasSize(9);
        List<Integer> epochs = s.epochs();
        assertThat(epochs.stream().filter(e -> e == 5)).hasSize(6);
        assertThat(epochs.stream().filter(e -> e == 15)).hasSize(2);
        assertThat(epochs.stream().filter(e -> e == 100)).hasSize(1); // the survivor trains to its end
        assertThat(s.outcome.winner().trial().epochs()).isEqualTo(100);
        // the three kept after rung 1 were the best three at 5 epochs
        List<CurveTrial> byFirstRung = new ArrayList<>(s.trials);
        byFirstRung.sort((a, b) -> Double.compare(b.ceiling, a.ceiling));
        assertThat(byFirstRung.subList(0, 3)).allMatch(t -> t.epochs >= 15);
        assertThat(s.trials).filteredOn(t -> t != s.outcome.winner().trial()).allMatch(t -> t.released);
        assertThat(s.outcome.tried().get(0).point())
                .as("the defaults come first")
                .containsEntry("layers", "4")
                .containsEntry("cl_weight", "0.01")
                .containsEntry("mmd_weight", "0.1");
        assertThat(s.outcome.budgetSpent()).isFalse();
    }

    @Test
    void theFirstBracketJudgesItsPointsAfterItsLongFirstRung() {
        Search s = new Search(7, NINE_BY_THREE, Duration.ofHours(10), 1, 100);
        // 3 points to 45 epochs, the best on to its end, and the defaults too (no rung stops them)
        assertThat(s.epochs().stream().sorted().toList()).containsExactly(45, 100, 100);
        assertThat(s.log).anyMatch(line -> line.startsWith("rung 1 (45 epochs)"));
    }

    @Test
    void aSeedGivesTheSamePointsAndWinnerAnotherSeedOthers() {
        Search a = new Search(7, DEFAULTS, Duration.ofHours(10), 1, 60);
        Search b = new Search(7, DEFAULTS, Duration.ofHours(10), 1, 60);
        Search c = new Search(8, DEFAULTS, Duration.ofHours(10), 1, 60);
        assertThat(a.pointsPerBracket()).containsExactly(3L, 5L, 9L, 3L, 5L, 9L);
        List<Map<String, String>> pointsA =
                a.outcome.tried().stream().map(e -> e.point()).toList();
        assertThat(b.outcome.tried().stream().map(e -> e.point()).toList()).isEqualTo(pointsA);
        assertThat(b.epochs()).isEqualTo(a.epochs());
        assertThat(b.log).isEqualTo(a.log);
        assertThat(b.outcome.winner().number()).isEqualTo(a.outcome.winner().number());
        List<Map<String, String>> pointsC =
                c.outcome.tried().stream().map(e -> e.point()).toList();
        assertThat(pointsC.get(0)).isEqualTo(pointsA.get(0)); // the defaults
        assertThat(pointsC.subList(1, 9)).isNotEqualTo(pointsA.subList(1, 9));
        assertThat(pointsA).doesNotHaveDuplicates();
    }

    @Test
    void aSearchResumedFromAnyOfItsJournalsMakesTheSameDecisions() {
        Search whole = new Search(7, DEFAULTS, Duration.ofHours(10), 1, 60);
        List<String> decisions = decisions(whole.log);
        for (int k = 0; k < whole.journals.size(); k += 7) {
            SearchJournal journal = whole.journals.get(k);
            Search resumed = new Search(
                    BracketSchedule.PLAIN, 7, DEFAULTS, Duration.ofHours(10), 1, 60, BY_SETTINGS, journal, true);
            assertThat(decisions(resumed.log)).as("resumed from journal " + k).isEqualTo(decisions);
            assertThat(resumed.outcome.winner().number())
                    .isEqualTo(whole.outcome.winner().number());
            assertThat(resumed.journals.get(resumed.journals.size() - 1).schedule())
                    .isEqualTo("HEDGED");
        }
    }

    @Test
    void aJournalWrittenBeforeTheHedgeResumesOnThePlainSchedule() {
        Search plain = new Search(
                BracketSchedule.PLAIN, 7, NINE_BY_THREE, Duration.ofHours(10), 1, 100, BY_SETTINGS, null, true);
        // the journal after the first rung's decision, as an older version wrote it (no schedule)
        SearchJournal afterRung1 = plain.journals.stream()
                .filter(j ->
                        !j.brackets().isEmpty() && !j.brackets().get(0).rungs().isEmpty())
                .findFirst()
                .orElseThrow();
        SearchJournal old = new SearchJournal(
                afterRung1.elapsedSeconds(),
                afterRung1.trainingSeconds(),
                afterRung1.epochsTrained(),
                afterRung1.current(),
                afterRung1.points(),
                afterRung1.brackets(),
                null);
        Search resumed = new Search(
                BracketSchedule.HEDGED, 7, NINE_BY_THREE, Duration.ofHours(10), 1, 100, BY_SETTINGS, old, true);
        assertThat(decisions(resumed.log)).isEqualTo(decisions(plain.log));
        assertThat(resumed.outcome.winner().number())
                .isEqualTo(plain.outcome.winner().number());
        assertThat(resumed.outcome.schedule()).isEqualTo(BracketSchedule.PLAIN);
    }

    /** The log's decisions (brackets without their budget left, and rungs), "(resumed)" dropped. */
    static List<String> decisions(List<String> log) {
        return log.stream()
                .filter(l -> l.startsWith("bracket ") || l.startsWith("rung "))
                .map(l -> l.replace(" (resumed)", "").replaceAll(", [0-9]+ s of the budget left", ""))
                .toList();
    }

    @Test
    void theBudgetEndsTheSearchBetweenEpochsAndTheBestSoFarWins() {
        // 30 s of budget at 1 s per epoch: the defaults alone, and no epoch started after the budget
        Search s = new Search(7, new SearchSettings(9, 3, 5, 3, 0.5), Duration.ofSeconds(30), 1, 1000);
        long epochsTrained = s.epochs().stream().mapToLong(Integer::longValue).sum();
        assertThat(epochsTrained).isEqualTo(30L);
        assertThat(s.clock.get()).isEqualTo(Duration.ofSeconds(30).toNanos());
        assertThat(s.outcome.winner().outcome()).startsWith("survived; budget spent at 30 epochs");
        assertThat(s.outcome.budgetSpent()).isTrue();
        assertThat(s.trials.size()).as("points the budget could pay for").isLessThan(9);
        double best = s.trials.stream()
                .filter(t -> !t.released || t == s.outcome.winner().trial())
                .mapToDouble(CurveTrial::validRecall20)
                .max()
                .orElseThrow();
        assertThat(s.outcome.winner().trial().validRecall20()).isEqualTo(best);
    }

    @Test
    void theBudgetEndsTheSearchInALaterBracketAndTheBestSoFarWins() {
        // 4 minutes at 1 s per epoch, points trained to 40 at most: brackets of 2 (2 x 40 epochs), 5
        // (5 x 15, the survivor to 40) and 5 points (5 x 5: 25 of the 30 epochs half of the last
        // 60 s pays for), whose survivor trains until the budget ends
        Search s = new Search(7, DEFAULTS, Duration.ofMinutes(4), 1, 40);
        long epochsTrained = s.epochs().stream().mapToLong(Integer::longValue).sum();
        assertThat(epochsTrained).isEqualTo(240L);
        assertThat(s.pointsPerBracket()).containsExactly(2L, 5L, 5L);
        assertThat(s.outcome.budgetSpent()).isTrue();
        double best = s.outcome.tried().stream()
                .filter(e -> !e.outcome().startsWith("stopped"))
                .mapToDouble(e -> e.validRecall20())
                .max()
                .orElseThrow();
        assertThat(s.outcome.winner().validRecall20()).isEqualTo(best);
    }

    @Test
    void fasterEpochsBuyMorePointsAndBrackets() {
        SearchSettings settings = new SearchSettings(9, 3, 5, 3, 0.5);
        Search slow = new Search(7, settings, Duration.ofMinutes(10), 10, 40);
        Search fast = new Search(7, settings, Duration.ofMinutes(10), 1, 40);
        assertThat(fast.trials.size()).isGreaterThan(slow.trials.size());
        assertThat(fast.outcome.tried().stream()
                        .mapToInt(e -> e.bracket())
                        .max()
                        .orElseThrow())
                .isGreaterThan(1);
    }

    @Test
    void validationAloneChooses() {
        // two points whose test figures disagree with validation: the better validation wins
        AtomicLong clock = new AtomicLong();
        Deadline deadline = new Deadline(Duration.ofHours(1), clock::get);
        List<CurveTrial> trials = new ArrayList<>();
        double[][] validAndTest = {{0.10, 0.30}, {0.20, 0.01}, {0.15, 0.50}};
        int[] next = {0};
        SuccessiveHalving.Outcome<CurveTrial> outcome = new SuccessiveHalving<CurveTrial>(
                        new SearchSettings(3, 3, 2, 1, 1.0),
                        BracketSchedule.PLAIN,
                        deadline,
                        incumbent -> Map.of("point", Integer.toString(next[0]++)),
                        (number, point) -> {
                            double[] vt = validAndTest[number - 1];
                            CurveTrial t = new CurveTrial(vt[0], vt[1], 10, clock, 1_000_000_000L, deadline);
                            trials.add(t);
                            return t;
                        },
                        line -> {},
                        null,
                        j -> {})
                .run();
        assertThat(outcome.winner().number()).isEqualTo(2);
        assertThat(outcome.winner().trial().test).isEqualTo(0.01);
    }

    @Test
    void aBracketsSizeFollowsTheMeasuredEpochTime() {
        SuccessiveHalving<CurveTrial> h = new SuccessiveHalving<>(
                NINE_BY_THREE, Deadline.after(Duration.ofHours(1)), incumbent -> Map.of(), (n, p) -> null, l -> {});
        assertThat(h.rungEpochs(9, 5)).isEqualTo(9 * 5 + 3 * 10);
        assertThat(h.rungEpochs(27, 5)).isEqualTo(27 * 5 + 9 * 10 + 3 * 30);
        assertThat(h.rungEpochs(3, 45)).isEqualTo(3 * 45);
        assertThat(h.rungEpochs(5, 15)).isEqualTo(5 * 15);
        assertThat(h.rungEpochs(1, 45)).isZero();
    }

    @Test
    void neighboursOfTheIncumbentClimbWhereRandomPointsDoNot() {
        // planted: the validation ceiling falls by 0.01 per step away from an optimum three steps from
        // the defaults (layers 3, learning rate 2e-3, knn_k 20); random points in the eight settings
        // rarely land near it
        Map<String, String> optimum = new java.util.LinkedHashMap<>(new SearchSpace(MAMBAREC, Set.of(), 1).next());
        optimum.put("layers", "3");
        optimum.put("learning_rate", "0.002");
        optimum.put("knn_k", "20");
        Curves planted = (number, point, clock, nanos, deadline) ->
                new CurveTrial(0.2 - 0.01 * steps(point, optimum), 0.8, 0, 40, clock, nanos, deadline);
        Search local =
                new Search(BracketSchedule.HEDGED, 7, DEFAULTS, Duration.ofHours(4), 10, 40, planted, null, true);
        Search random =
                new Search(BracketSchedule.HEDGED, 7, DEFAULTS, Duration.ofHours(4), 10, 40, planted, null, false);

        double defaults = 0.2 - 0.01 * 3;
        assertThat(local.outcome.winner().validRecall20()).isGreaterThan(defaults + 0.015);
        assertThat(steps(local.outcome.winner().point(), optimum)).isLessThanOrEqualTo(1);
        assertThat(random.outcome.winner().validRecall20())
                .isLessThan(local.outcome.winner().validRecall20());
        // every other point after the defaults is one step from the best point before its bracket
        assertThat(local.outcome.tried().get(1).point())
                .satisfies(p -> assertThat(steps(p, local.outcome.tried().get(0).point()))
                        .isEqualTo(1));
    }

    /** Steps between two points along the search space's value lists. */
    private static int steps(Map<String, String> a, Map<String, String> b) {
        int steps = 0;
        for (var dimension : SearchSpace.VALUES.entrySet()) {
            List<String> values = dimension.getValue();
            steps += Math.abs(values.indexOf(a.get(dimension.getKey())) - values.indexOf(b.get(dimension.getKey())));
        }
        return steps;
    }
}
