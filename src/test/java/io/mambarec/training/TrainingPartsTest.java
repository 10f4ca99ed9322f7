package io.mambarec.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mambarec.data.Interactions;
import org.junit.jupiter.api.Test;

/** The loop's parts: negative sampling, early stopping, the learning-rate schedule. */
class TrainingPartsTest {

    /** Items 0..9; user 0 trained on 0, 2, 3, 7; user 1 on 1..8; item 9 occurs in no training interaction. */
    private final int[][] trainItems = {{0, 2, 3, 7}, {1, 2, 3, 4, 5, 6, 7, 8}};

    private final Interactions train = new Interactions(
            new int[] {0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1}, new int[] {0, 2, 3, 7, 1, 2, 3, 4, 5, 6, 7, 8});

    @Test
    void samplerNeverReturnsATrainingItemAndDrawsOnlyItemsSeenInTraining() {
        // items 0..9; item 9 occurs in no training interaction (MMRec never draws it)
        NegativeSampler sampler = new NegativeSampler(trainItems, train, 10, false, TrainingRandomness.java(1));
        int[] counts = new int[10];
        for (int k = 0; k < 20_000; k++) {
            counts[sampler.sample(0)]++;
        }
        assertThat(counts[0] + counts[2] + counts[3] + counts[7] + counts[9]).isZero();
        // uniform over the five others
        for (int i : new int[] {1, 4, 5, 6, 8}) {
            assertThat(counts[i]).isBetween(3700, 4300);
        }
        for (int k = 0; k < 1000; k++) {
            assertThat(sampler.sample(1)).isEqualTo(0);
        }

        // negatives_from_all_items: item 9 is drawn too, training items still never
        NegativeSampler everyItem = new NegativeSampler(trainItems, train, 10, true, TrainingRandomness.java(1));
        int[] drawn = new int[10];
        for (int k = 0; k < 1000; k++) {
            drawn[everyItem.sample(1)]++;
        }
        assertThat(drawn[0] + drawn[9]).isEqualTo(1000);
        assertThat(drawn[9]).isBetween(400, 600);
    }

    @Test
    void mmrecRandomnessDrawsTheToolboxsNegatives() {
        // the toolbox with random.seed(7): all_items = sorted training items, random.shuffle(all_items),
        // then per row: i = random.sample(all_items, 1)[0], redrawn while in the user's history
        // (CPython 3.11 gives all_items [1, 6, 7, 4, 0, 8, 3, 2, 5] and these negatives)
        NegativeSampler sampler = new NegativeSampler(trainItems, train, 10, false, TrainingRandomness.mmrec(7));
        int[] users = {0, 1, 0, 0, 1, 0};
        int[] negatives = java.util.Arrays.stream(users).map(sampler::sample).toArray();
        assertThat(negatives).containsExactly(8, 0, 5, 6, 0, 5);
        // NumPy takes seeds in 0 .. 2^32 - 1 only: others are refused with the way out
        assertThatThrownBy(() -> TrainingRandomness.mmrec(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mmrec_rng=false");
    }

    @Test
    void earlyStoppingComparesScoresAtTheToolboxsFourDecimals() {
        EarlyStopping stopping = new EarlyStopping(1);
        assertThat(stopping.record(0, 0.09621)).isTrue();
        assertThat(stopping.best()).isEqualTo(0.0962);
        // 0.09624 rounds to 0.0962: no improvement, as in MMRec; 0.09625 rounds half-even from its
        // binary value (0.09625000000000000222...) up to 0.0963
        assertThat(stopping.record(1, 0.09624)).isFalse();
        assertThat(stopping.record(2, 0.09625)).isTrue();
        assertThat(stopping.bestEpoch()).isEqualTo(2);
        assertThat(stopping.best()).isEqualTo(0.0963);
    }

    @Test
    void earlyStoppingStopsAfterMoreThanPatienceEpochsWithoutImprovement() {
        EarlyStopping stopping = new EarlyStopping(2);
        double[] scores = {0.1, 0.2, 0.2, 0.15, 0.19, 0.3};
        boolean[] improved = new boolean[scores.length];
        int stoppedAt = -1;
        for (int e = 0; e < scores.length; e++) {
            improved[e] = stopping.record(e, scores[e]);
            if (stopping.shouldStop()) {
                stoppedAt = e;
                break;
            }
        }
        // equal is not better; epochs 2, 3, 4 do not improve: 3 > patience 2 -> stop after epoch 4
        assertThat(improved).startsWith(true, true, false, false, false);
        assertThat(stoppedAt).isEqualTo(4);
        assertThat(stopping.bestEpoch()).isEqualTo(1);
        assertThat(stopping.best()).isEqualTo(0.2);
    }

    @Test
    void patienceZeroStopsAtTheFirstEpochWithoutImprovement() {
        EarlyStopping stopping = new EarlyStopping(0);
        stopping.record(0, 0.1);
        assertThat(stopping.shouldStop()).isFalse();
        stopping.record(1, 0.1);
        assertThat(stopping.shouldStop()).isTrue();
    }

    @Test
    void learningRateDecaysPerEpochLikeLambdaLr() {
        EpochLearningRate lr = new EpochLearningRate(1e-3, 0.96, 50);
        assertThat(lr.getNewValue("w", 1)).isEqualTo(1e-3f); // first epoch: factor(0) = 1
        assertThat(lr.rateAt(25)).isCloseTo(1e-3 * Math.sqrt(0.96), within(1e-12));
        assertThat(lr.rateAt(50)).isCloseTo(0.96e-3, within(1e-12));
        lr.setEpoch(100);
        assertThat((double) lr.getNewValue("w", 999)).isCloseTo(1e-3 * 0.96 * 0.96, within(1e-9));
    }
}
