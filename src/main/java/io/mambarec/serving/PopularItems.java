package io.mambarec.serving;

import io.mambarec.config.MambaRecProperties;
import io.mambarec.storage.InteractionStore;
import io.mambarec.storage.InteractionStore.ItemCount;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Every catalogue item ranked by its number of stored interactions (items without any come last),
 * refreshed from PostgreSQL every {@code mambarec.serving.popular-refresh-interval}: the "popular" strategy, which needs no model.
 */
@Component
public class PopularItems implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(PopularItems.class);

    private final InteractionStore interactions;
    private volatile List<ItemCount> ranking;
    private volatile Map<Long, Long> counts = Map.of();
    private final Duration refreshInterval;

    public PopularItems(InteractionStore interactions, MambaRecProperties properties) {
        this.interactions = interactions;
        this.refreshInterval = properties.serving().popularRefreshInterval();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::scheduledRefresh, refreshInterval, refreshInterval));
    }

    /** The ranking, most popular first (loaded on first use). */
    public List<ItemCount> ranking() {
        List<ItemCount> current = ranking;
        return current != null ? current : refresh();
    }

    /** The stored interactions of an item (as of the last refresh; 0 for an item it did not know). */
    public long count(long itemId) {
        if (ranking == null) {
            refresh();
        }
        return counts.getOrDefault(itemId, 0L);
    }

    public void scheduledRefresh() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("Popularity refresh failed (will retry): {}", e.getMessage());
        }
    }

    public List<ItemCount> refresh() {
        List<ItemCount> fresh = List.copyOf(interactions.popularity());
        Map<Long, Long> byId = new HashMap<>(fresh.size() * 2);
        fresh.forEach(c -> byId.put(c.itemId(), c.count()));
        counts = byId;
        ranking = fresh;
        return fresh;
    }
}
