package io.mambarec.serving;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness: UP once {@code /recommend} can answer, i.e. a model is active or the catalogue has
 * items for the popular fallback.
 */
@Component
public class RecommenderHealthIndicator implements HealthIndicator {

    private final ActiveModel activeModel;

    public RecommenderHealthIndicator(ActiveModel activeModel) {
        this.activeModel = activeModel;
    }

    @Override
    public Health health() {
        ServingState state = activeModel.state();
        Health.Builder health = state.hasModel() || state.catalogue().size() > 0 ? Health.up() : Health.down();
        health.withDetail("catalogueItems", state.catalogue().size());
        if (state.hasModel()) {
            health.withDetail("modelVersion", state.model().version())
                    .withDetail("model", state.model().modelName())
                    .withDetail("itemsWithEmbedding", state.size())
                    .withDetail("itemsDerivedFromNeighbours", state.size() - state.modelItems());
        } else {
            health.withDetail("strategy", "popular (no model active yet)");
        }
        return health.build();
    }
}
