package io.mambarec.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {

    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    private static boolean[] hitsAt(int... ranks) {
        boolean[] hits = new boolean[50];
        for (int r : ranks) {
            hits[r - 1] = true;
        }
        return hits;
    }

    @Test
    void userWithTwoRelevantItemsHitAtRanksOneAndThree() {
        RankingMetrics metrics = new RankingMetrics();
        metrics.addUser(hitsAt(1, 3), 2);
        Map<String, Double> m = metrics.averages();
        assertThat(m.get("Recall@5")).isEqualTo(1.0);
        assertThat(m.get("Precision@5")).isCloseTo(2 / 5.0, within(1e-12));
        assertThat(m.get("Precision@50")).isCloseTo(2 / 50.0, within(1e-12));
        // DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal DCG over min(G, K) = 2 ranks = 1 + 1/log2(3)
        assertThat(m.get("NDCG@5")).isCloseTo(1.5 / (1 + 1 / LOG2_3), within(1e-12));
        // AP = (P@1 * 1 + P@3 * 1) / min(G, K) = (1 + 2/3) / 2
        assertThat(m.get("MAP@5")).isCloseTo((1 + 2 / 3.0) / 2, within(1e-12));
        assertThat(m.get("MAP@50")).isCloseTo((1 + 2 / 3.0) / 2, within(1e-12));
    }

    @Test
    void userWithMoreRelevantItemsThanTheCutoff() {
        RankingMetrics metrics = new RankingMetrics();
        metrics.addUser(hitsAt(2, 7), 60);
        Map<String, Double> m = metrics.averages();
        assertThat(m.get("Recall@5")).isCloseTo(1 / 60.0, within(1e-12));
        assertThat(m.get("Recall@10")).isCloseTo(2 / 60.0, within(1e-12));
        double idcg5 = 0;
        for (int k = 1; k <= 5; k++) {
            idcg5 += 1 / (Math.log(k + 1) / Math.log(2));
        }
        assertThat(m.get("NDCG@5")).isCloseTo((1 / LOG2_3) / idcg5, within(1e-12));
        // MAP@5 divides by min(60, 5) = 5; MAP@10 by 10: (P@2 + P@7) / 10
        assertThat(m.get("MAP@5")).isCloseTo(0.5 / 5, within(1e-12));
        assertThat(m.get("MAP@10")).isCloseTo((0.5 + 2 / 7.0) / 10, within(1e-12));
    }

    @Test
    void averagesOverUsersAndListsTheSixteenKeysInOrder() {
        RankingMetrics metrics = new RankingMetrics();
        metrics.addUser(hitsAt(1), 1);
        metrics.addUser(hitsAt(), 3);
        Map<String, Double> m = metrics.averages();
        assertThat(m.keySet()).containsExactly(RankingMetrics.keys());
        assertThat(m).hasSize(16);
        assertThat(m.get("Recall@20")).isEqualTo(0.5);
        assertThat(m.get("NDCG@20")).isEqualTo(0.5);
        assertThat(m.get("MAP@20")).isEqualTo(0.5);
        assertThat(m.get("Precision@20")).isCloseTo(0.5 / 20, within(1e-12));
    }
}
