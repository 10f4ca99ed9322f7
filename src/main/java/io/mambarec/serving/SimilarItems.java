package io.mambarec.serving;

import io.mambarec.serving.Recommendation.ScoredItem;
import java.util.List;

/**
 * An answer of {@code /items/{itemId}/similar}.
 *
 * @param itemId the item asked about
 * @param modelVersion the served model version (null while no model is active)
 * @param similarity "embedding-cosine" (fused embeddings of the model) or "feature-cosine" (before any model)
 * @param items most similar first; score = cosine similarity
 */
public record SimilarItems(String itemId, Long modelVersion, String similarity, List<ScoredItem> items) {}
