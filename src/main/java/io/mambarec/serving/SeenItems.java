package io.mambarec.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mambarec.config.MambaRecProperties;
import io.mambarec.storage.InteractionChangeFeed;
import io.mambarec.storage.InteractionStore;
import io.mambarec.storage.InteractionStore.UserItems;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The items each user has interacted with, for excluding them from recommendations: a bounded
 * per-replica cache in front of the interaction table, kept exact across replicas.
 *
 * <p>Every committed ingest announces its users through the {@link InteractionChangeFeed}
 * (PostgreSQL NOTIFY, delivered to every replica within milliseconds of the commit) and the
 * replica that stored the batch drops its own entries before answering the POST. The cache is
 * used only while the feed is listening; without it (start-up, lost connection) every lookup goes
 * to the database, as it would with no cache, and the cache starts empty when the feed is back.
 *
 * <p>A lookup that raced with a change is not cached: entries are put only when no change was
 * announced between reading the generation and reading the table, so a read that began before a
 * commit can never outlive that commit's notification.
 */
@Component
public class SeenItems implements InteractionChangeFeed.Subscriber {

    private final InteractionStore store;
    private final Cache<String, UserItems> cache;
    private final boolean enabled;
    /** Changes announced so far (any user), and losses of the feed. */
    private final AtomicLong generation = new AtomicLong();

    private volatile boolean listening;

    public SeenItems(
            InteractionStore store, InteractionChangeFeed feed, MeterRegistry registry, MambaRecProperties properties) {
        this.store = store;
        this.enabled = properties.serving().seenItemsCache().enabled();
        long maxItems = properties.serving().seenItemsCache().maxItems();
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxItems)
                .weigher((String user, UserItems items) -> items.all().length + items.disliked().length + 1)
                .recordStats()
                .build();
        CaffeineCacheMetrics.monitor(registry, cache, "seen_items");
        feed.subscribe(this);
    }

    /** Surrogate ids of every item the user has interacted with (empty for an unknown user). */
    public long[] of(String userId) {
        return items(userId).all();
    }

    /** Every item the user has interacted with, and the disliked ones among them. */
    public UserItems items(String userId) {
        if (!enabled || !listening) {
            return store.seenItems(userId);
        }
        UserItems cached = cache.getIfPresent(userId);
        if (cached != null) {
            return cached;
        }
        long before = generation.get();
        UserItems fresh = store.seenItems(userId);
        if (listening && generation.get() == before) {
            cache.put(userId, fresh);
        }
        return fresh;
    }

    /** This replica has just committed events of these users: forget them before answering. */
    public void committed(Collection<String> userIds) {
        generation.incrementAndGet();
        cache.invalidateAll(userIds);
    }

    @Override
    public void usersChanged(List<String> userIds) {
        committed(userIds);
    }

    @Override
    public void allChanged() {
        generation.incrementAndGet();
        cache.invalidateAll();
    }

    @Override
    public void lost() {
        listening = false;
        allChanged();
    }

    @Override
    public void listening() {
        allChanged();
        listening = true;
    }

    /** True while lookups may be answered from the cache. */
    public boolean isCaching() {
        return enabled && listening;
    }
}
