package io.mambarec.serving;

import io.mambarec.model.Embeddings;
import java.util.List;
import java.util.Map;

/**
 * One model version ready to serve: plain float matrices and id lists, no DJL. Built once when a
 * version is activated (registry), then swapped in atomically by {@link ActiveModel}.
 *
 * @param version registry version number
 * @param modelName model name
 * @param userIds external id of each user row of {@code embeddings}
 * @param itemIds external id of each item row of {@code embeddings}
 * @param embeddings final user and item embeddings (eval mode)
 * @param testMetrics the version's test metrics (e.g. "Recall@20"), may be empty
 */
public record ServingModel(
        long version,
        String modelName,
        List<String> userIds,
        List<String> itemIds,
        Embeddings embeddings,
        Map<String, Double> testMetrics) {}
