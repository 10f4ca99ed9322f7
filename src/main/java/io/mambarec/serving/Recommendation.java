package io.mambarec.serving;

import java.util.List;

/**
 * An answer of {@code /recommend}.
 *
 * @param userId the user asked about
 * @param modelVersion the served model version (null while no model is active)
 * @param strategy "model", "fold-in" or "popular"
 * @param items best first
 */
public record Recommendation(String userId, Long modelVersion, String strategy, List<ScoredItem> items) {

    /** An item and its score: inner product for model/fold-in, cosine for similar items, interaction count for popular. */
    public record ScoredItem(String itemId, double score) {}
}
