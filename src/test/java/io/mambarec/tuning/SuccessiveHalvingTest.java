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
 * The halving's decisions with made-up trials on a made-up clock: each point has a validation curve
 * that rises towards its own ceiling, and every epoch costs a fixed number of seconds.
 */
class SuccessiveHalvingTest {

    private static final Hyperparameters MAMBAREC = Models.get("mambarec").resolve(Map.of());

    /** A point whose validation Recall@20 after e epochs is ceiling * (1 - 0.9^e); it stops early at maxEpochs. */
    static final class CurveTrial implements Trial {
        final double ceiling;
        final double test;
        final int maxEpochs;
        final AtomicLong clock;
        final long nanosPerEpoch;
        final Deadline deadline;
        int epochs;
        boolean released;

        CurveTrial(
                double ceiling, double test, int maxEpochs, AtomicLong clock, long nanosPerEpoch, Deadline deadline) {
            this.ceiling = ceiling;
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
            return epochs == 0 ? Double.NEGATIVE_INFINITY : ceiling * (1 - Math.pow(0.9, epochs));
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

    /** A search over MambaRec's space where a point's ceiling comes from its settings and seed. */
    static final class Search {
        final AtomicLong clock = new AtomicLong();
        final Deadline deadline;
        final List<CurveTrial> trials = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        final SuccessiveHalving.Outcome<CurveTrial> outcome;

        Search(long seed, SearchSettings settings, Duration budget, double secondsPerEpoch, int maxEpochs) {
            deadline = new Deadline(budget, clock::get);
            SearchSpace space = new SearchSpace(MAMBAREC, Set.of(), seed);
            outcome = new SuccessiveHalving<CurveTrial>(
                            settings,
                            deadline,
                            space::next,
                            (number, point) -> {
                                double ceiling = 0.05 + (Math.abs(point.hashCode()) % 1000) / 10_000.0;
                                CurveTrial t = new CurveTrial(
                                        ceiling, 0, maxEpochs, clock, (long) (secondsPerEpoch * 1e9), deadline);
                                trials.add(t);
                                return t;
                            },
                            log::add)
                    .run();
        }

        List<Integer> epochs() {
            return trials.stream().map(t -> t.epochs).toList();
        }
    }

    private static final SearchSettings NINE_BY_THREE = new SearchSettings(9, 3, 5, 1, 0.5);

    @Test
    void rungsKeepATHirdAndTrainThemThreeTimesAsLong() {
        Search s = new Search(7, NINE_BY_THREE, Duration.ofHours(10), 1, 100);
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
    void aSeedGivesTheSamePointsAndWinnerAnotherSeedOthers() {
        Search a = new Search(7, NINE_BY_THREE, Duration.ofHours(10), 1, 60);
        Search b = new Search(7, NINE_BY_THREE, Duration.ofHours(10), 1, 60);
        Search c = new Search(8, NINE_BY_THREE, Duration.ofHours(10), 1, 60);
        List<Map<String, String>> pointsA =
                a.outcome.tried().stream().map(e -> e.point()).toList();
        assertThat(b.outcome.tried().stream().map(e -> e.point()).toList()).isEqualTo(pointsA);
        assertThat(b.epochs()).isEqualTo(a.epochs());
        assertThat(b.outcome.winner().number()).isEqualTo(a.outcome.winner().number());
        List<Map<String, String>> pointsC =
                c.outcome.tried().stream().map(e -> e.point()).toList();
        assertThat(pointsC.get(0)).isEqualTo(pointsA.get(0)); // the defaults
        assertThat(pointsC.subList(1, 9)).isNotEqualTo(pointsA.subList(1, 9));
        assertThat(pointsA).doesNotHaveDuplicates();
    }

    @Test
    void theBudgetEndsTheSearchBetweenEpochsAndTheBestSoFarWins() {
        // 30 s of budget at 1 s per epoch: fewer points than asked, and at most one epoch beyond the budget
        Search s = new Search(7, new SearchSettings(9, 3, 5, 3, 0.5), Duration.ofSeconds(30), 1, 1000);
        long epochsTrained = s.epochs().stream().mapToLong(Integer::longValue).sum();
        assertThat(epochsTrained).isBetween(30L, 31L);
        assertThat(s.clock.get()).isLessThanOrEqualTo(Duration.ofSeconds(31).toNanos());
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
                        deadline,
                        () -> Map.of("point", Integer.toString(next[0]++)),
                        (number, point) -> {
                            double[] vt = validAndTest[number - 1];
                            CurveTrial t = new CurveTrial(vt[0], vt[1], 10, clock, 1_000_000_000L, deadline);
                            trials.add(t);
                            return t;
                        },
                        line -> {})
                .run();
        assertThat(outcome.winner().number()).isEqualTo(2);
        assertThat(outcome.winner().trial().test).isEqualTo(0.01);
    }

    @Test
    void aBracketsSizeFollowsTheMeasuredEpochTime() {
        SuccessiveHalving<CurveTrial> h = new SuccessiveHalving<>(
                NINE_BY_THREE, Deadline.after(Duration.ofHours(1)), Map::of, (n, p) -> null, l -> {});
        assertThat(h.rungEpochs(9)).isEqualTo(9 * 5 + 3 * 10);
        assertThat(h.rungEpochs(27)).isEqualTo(27 * 5 + 9 * 10 + 3 * 30);
        assertThat(h.rungEpochs(1)).isZero();
    }
}
