package io.mambarec.serving;

import io.mambarec.storage.InteractionStore;
import io.mambarec.storage.InteractionStore.ItemCount;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every catalogue item ranked by its number of stored interactions (items without any come last),
 * refreshed from PostgreSQL every few seconds: the "popular" strategy, which needs no model.
 */
@Component
public class PopularItems {

    private static final Logger log = LoggerFactory.getLogger(PopularItems.class);

    private final InteractionStore interactions;
    private volatile List<ItemCount> ranking;

    public PopularItems(InteractionStore interactions) {
        this.interactions = interactions;
    }

    /** The ranking, most popular first (loaded on first use). */
    public List<ItemCount> ranking() {
        List<ItemCount> current = ranking;
        return current != null ? current : refresh();
    }

    @Scheduled(fixedDelayString = "${mambarec.serving.popular-refresh-interval:10s}",
            initialDelayString = "${mambarec.serving.popular-refresh-interval:10s}")
    public void scheduledRefresh() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("Popularity refresh failed (will retry): {}", e.getMessage());
        }
    }

    public List<ItemCount> refresh() {
        List<ItemCount> fresh = List.copyOf(interactions.popularity());
        ranking = fresh;
        return fresh;
    }
}
