package io.mambarec.registry;

import io.mambarec.evaluation.RankingMetrics;
import java.util.Map;

/**
 * A version's evaluation figures as stored in the registry's {@code metrics} column:
 * {"valid": {"Recall@20": x, ...}, "test": {...}}.
 */
public record ModelMetrics(Map<String, Double> valid, Map<String, Double> test) {

    public ModelMetrics {
        valid = valid == null ? Map.of() : Map.copyOf(valid);
        test = test == null ? Map.of() : Map.copyOf(test);
    }

    /** Test Recall@20, NaN when unknown. */
    public double testRecall20() {
        return test.getOrDefault(RankingMetrics.RECALL_20, Double.NaN);
    }
}
