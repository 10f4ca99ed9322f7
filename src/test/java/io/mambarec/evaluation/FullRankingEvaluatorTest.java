package io.mambarec.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mambarec.data.Dataset;
import io.mambarec.data.Interactions;
import io.mambarec.data.Split;
import io.mambarec.model.Embeddings;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FullRankingEvaluatorTest {

    /**
     * 3 users, 60 items, d = 1: score(u, i) = user weight * (60 - i), so every user ranks items
     * 0, 1, 2, ... in this order. User 0 trained on items 0 and 1 (masked), validates on item 2 and
     * tests on item 3; user 1 trained on item 5, tests on item 0; user 2 has no test item.
     */
    private static Dataset data() {
        Interactions train = new Interactions(new int[] {0, 0, 1, 2}, new int[] {0, 1, 5, 9});
        Interactions valid = new Interactions(new int[] {0}, new int[] {2});
        Interactions test = new Interactions(new int[] {0, 1}, new int[] {3, 0});
        List<String> items = IntStream.range(0, 60).mapToObj(Integer::toString).toList();
        return new Dataset("toy", List.of("a", "b", "c"), items, train, valid, test, Map.of());
    }

    private static Embeddings embeddings() {
        float[] items = new float[60];
        for (int i = 0; i < 60; i++) {
            items[i] = 60 - i;
        }
        return new Embeddings(3, 60, 1, new float[] {1, 1, 1}, items);
    }

    @Test
    void masksTrainingItemsOnlyAndAveragesOverUsersWithTestItems() {
        Map<String, Double> test = FullRankingEvaluator.evaluate(embeddings(), data(), Split.TEST);
        // user 0: ranking 2, 3, 4, ... (0, 1 masked; validation item 2 NOT masked) -> test item 3 at rank 2
        // user 1: ranking 0, 1, 2, 3, 4, 6, ... (5 masked) -> test item 0 at rank 1
        double ndcgUser0 = 1 / (Math.log(3) / Math.log(2));
        assertThat(test.get("Recall@5")).isEqualTo(1.0);
        assertThat(test.get("NDCG@5")).isCloseTo((ndcgUser0 + 1) / 2, within(1e-12));
        assertThat(test.get("MAP@5")).isCloseTo((0.5 + 1) / 2, within(1e-12));
        assertThat(test.get("Precision@5")).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void validationRanksTheValidationItemFirstOnceTrainingItemsAreMasked() {
        Map<String, Double> valid = FullRankingEvaluator.evaluate(embeddings(), data(), Split.VALID);
        assertThat(valid.get("NDCG@5")).isEqualTo(1.0);
        assertThat(valid.get("Recall@5")).isEqualTo(1.0);
    }

    @Test
    void topKBreaksTiesTowardsTheLowerIndexAndSkipsMaskedItems() {
        float[] scores = {1, 3, 3, Float.NEGATIVE_INFINITY, 2, 5};
        assertThat(FullRankingEvaluator.topK(scores, 0, 6, 4)).containsExactly(5, 1, 2, 4);
        assertThat(FullRankingEvaluator.topK(scores, 2, 4, 2)).containsExactly(3, 0);
    }
}
