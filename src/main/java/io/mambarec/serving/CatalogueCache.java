package io.mambarec.serving;

import io.mambarec.config.MambaRecProperties;
import io.mambarec.storage.CatalogueStore;
import io.mambarec.storage.CatalogueStore.CatalogueVersion;
import io.mambarec.storage.InteractionChangeFeed;
import io.mambarec.storage.ItemMetadataStore;
import io.mambarec.storage.ItemMetadataStore.RulesVersion;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Keeps the in-memory {@link Catalogue} of this replica in step with PostgreSQL: a full load at
 * start-up, the item written by a local {@code PUT /items} at once, and every few seconds a cheap
 * check (item count, latest update) that reloads when another replica changed the catalogue.
 * The items' rules (stock, retirement, categories) are reloaded alone, and at once on every
 * replica: each change announces itself on the change feed at commit (the poll is the safety net).
 */
@Component
public class CatalogueCache implements InteractionChangeFeed.Subscriber, SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(CatalogueCache.class);

    private final CatalogueStore store;
    private final ItemMetadataStore metadata;
    private final ActiveModel activeModel;
    private final java.time.Duration pollInterval;
    private CatalogueVersion loaded;
    private RulesVersion loadedRules;
    private static final java.time.Duration RULES_RELOAD_GAP = java.time.Duration.ofMillis(50);
    private final AtomicBoolean rulesReloadQueued = new AtomicBoolean();
    private final ExecutorService rulesReloader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "item-rules-reload");
        t.setDaemon(true);
        return t;
    });

    public CatalogueCache(
            CatalogueStore store,
            ItemMetadataStore metadata,
            ActiveModel activeModel,
            InteractionChangeFeed feed,
            MambaRecProperties properties) {
        this.store = store;
        this.metadata = metadata;
        this.activeModel = activeModel;
        this.pollInterval = properties.serving().cataloguePollInterval();
        feed.subscribe(this);
    }

    /** {@link #pollForChanges()} every {@code mambarec.serving.catalogue-poll-interval}. */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::pollForChanges, pollInterval, pollInterval));
    }

    /** Reloads the whole catalogue from the database. */
    public synchronized void refresh() {
        CatalogueVersion version = store.version();
        Catalogue catalogue = Catalogue.of(store.modalities(), store.loadItems());
        activeModel.catalogueChanged(catalogue);
        loaded = version;
        refreshRules();
        log.info(
                "Catalogue loaded: {} items, modalities {}",
                catalogue.size(),
                catalogue.modalities().stream()
                        .map(m -> m.name() + "(" + m.dim() + ")")
                        .toList());
    }

    /** Reloads the items' stock, retirement and categories (cheap: no feature vectors). */
    public synchronized void refreshRules() {
        RulesVersion version = metadata.rulesVersion();
        activeModel.rulesChanged(ItemRules.of(metadata.rules()));
        loadedRules = version;
    }

    /** Applies the metadata of one item this replica has just changed (PATCH, DELETE), without a full reload. */
    public synchronized void ruleWritten(String externalId) {
        metadata.rule(externalId)
                .ifPresent(rule ->
                        activeModel.rulesChanged(activeModel.state().rules().with(rule)));
    }

    /** Applies an item this replica has just stored (raw feature vectors in slot order). */
    public synchronized void itemWritten(long dbId, String externalId, float[][] rawFeatures) {
        activeModel.catalogueChanged(
                activeModel.state().catalogue().with(Catalogue.entry(dbId, externalId, rawFeatures)));
    }

    /**
     * Another replica (or this one) changed items' metadata: its notification arrives at commit.
     * Reloaded off the feed's thread, 50 ms after the first notification, so a burst of changes (a
     * stock feed patching thousands of items) costs one reload per 50 ms, not one per change.
     */
    @Override
    public void rulesChanged() {
        if (rulesReloadQueued.compareAndSet(false, true)) {
            rulesReloader.execute(() -> {
                try {
                    // at most one reload per RULES_RELOAD_GAP: a burst of changes is read in one go
                    Thread.sleep(RULES_RELOAD_GAP.toMillis());
                    rulesReloadQueued.set(false);
                    refreshRules();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    log.warn("Item rules reload failed (the poll will retry): {}", e.getMessage());
                }
            });
        }
    }

    @Override
    public void listening() {
        rulesChanged(); // changes made while nobody listened
    }

    @Override
    public void lost() {}

    @Override
    public void usersChanged(java.util.List<String> userIds) {}

    @Override
    public void allChanged() {}

    public void pollForChanges() {
        try {
            CatalogueVersion version = store.version();
            boolean changed;
            synchronized (this) {
                changed = !Objects.equals(version, loaded);
            }
            if (changed) {
                refresh();
            } else if (!Objects.equals(metadata.rulesVersion(), loadedRules)) {
                refreshRules();
            }
        } catch (RuntimeException e) {
            log.warn("Catalogue check failed (will retry): {}", e.getMessage());
        }
    }
}
