package io.mambarec.serving;

import io.mambarec.storage.CatalogueStore;
import io.mambarec.storage.CatalogueStore.CatalogueVersion;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the in-memory {@link Catalogue} of this replica in step with PostgreSQL: a full load at
 * start-up, the item written by a local {@code PUT /items} at once, and every few seconds a cheap
 * check (item count, latest update) that reloads when another replica changed the catalogue.
 */
@Component
public class CatalogueCache {

    private static final Logger log = LoggerFactory.getLogger(CatalogueCache.class);

    private final CatalogueStore store;
    private final ActiveModel activeModel;
    private CatalogueVersion loaded;

    public CatalogueCache(CatalogueStore store, ActiveModel activeModel) {
        this.store = store;
        this.activeModel = activeModel;
    }

    /** Reloads the whole catalogue from the database. */
    public synchronized void refresh() {
        CatalogueVersion version = store.version();
        Catalogue catalogue = Catalogue.of(store.modalities(), store.loadItems());
        activeModel.catalogueChanged(catalogue);
        loaded = version;
        log.info("Catalogue loaded: {} items, modalities {}", catalogue.size(),
                catalogue.modalities().stream().map(m -> m.name() + "(" + m.dim() + ")").toList());
    }

    /** Applies an item this replica has just stored (raw feature vectors in slot order). */
    public synchronized void itemWritten(long dbId, String externalId, float[][] rawFeatures) {
        activeModel.catalogueChanged(activeModel.state().catalogue().with(Catalogue.entry(dbId, externalId, rawFeatures)));
    }

    @Scheduled(fixedDelayString = "${mambarec.serving.catalogue-poll-interval:5s}",
            initialDelayString = "${mambarec.serving.catalogue-poll-interval:5s}")
    public void pollForChanges() {
        try {
            CatalogueVersion version = store.version();
            boolean changed;
            synchronized (this) {
                changed = !Objects.equals(version, loaded);
            }
            if (changed) {
                refresh();
            }
        } catch (RuntimeException e) {
            log.warn("Catalogue check failed (will retry): {}", e.getMessage());
        }
    }
}
