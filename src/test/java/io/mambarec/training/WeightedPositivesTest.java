package io.mambarec.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WeightedPositivesTest {

    @Test
    void withoutWeightsTheEpochIsTheShuffledListItself() {
        int[] order = {3, 1, 2, 0};
        assertThat(new WeightedPositives(null, 7).epoch(order)).isSameAs(order);
    }

    @Test
    void aPairTakesPartInAnEpochWithProbabilityEqualToItsWeight() {
        int n = 4;
        float[] weights = {1f, 0.5f, 0.25f, 0f};
        WeightedPositives positives = new WeightedPositives(weights, 42);
        int[] order = IntStream.range(0, n).toArray();
        int epochs = 20_000;
        int[] count = new int[n];
        for (int e = 0; e < epochs; e++) {
            for (int k : positives.epoch(order)) {
                count[k]++;
            }
        }
        assertThat(count[0]).isEqualTo(epochs);
        assertThat(count[1] / (double) epochs).isBetween(0.48, 0.52);
        assertThat(count[2] / (double) epochs).isBetween(0.23, 0.27);
        assertThat(count[3]).isZero();
    }

    @Test
    void theKeptPositivesKeepTheShuffledOrder() {
        float[] weights = {1f, 1f, 0f, 1f};
        assertThat(new WeightedPositives(weights, 1).epoch(new int[] {3, 2, 0, 1}))
                .containsExactly(3, 0, 1);
    }
}
