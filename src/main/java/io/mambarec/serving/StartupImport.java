package io.mambarec.serving;

import io.mambarec.config.MambaRecProperties;
import io.mambarec.data.Dataset;
import io.mambarec.data.MmrecFolderReader;
import io.mambarec.storage.CatalogueStore;
import io.mambarec.storage.CatalogueStore.DatasetOrigin;
import java.nio.file.Path;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Start-up, step 1 (the model registry's runner follows at order 20): on an empty database,
 * import {@code mambarec.bootstrap.dataset} (an MMRec folder, ids kept as strings, split labels
 * kept) or, with nothing configured, the {@link SyntheticDemoDataset} (switch off with
 * {@code mambarec.bootstrap.demo=false}); then load the catalogue and popularity into memory.
 */
@Component
@Order(10)
public class StartupImport implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(StartupImport.class);

    private final CatalogueStore store;
    private final CatalogueCache catalogue;
    private final PopularItems popular;
    private final SeenItems seenItems;
    private final String datasetDir;
    private final boolean demo;

    @Autowired
    public StartupImport(
            CatalogueStore store,
            CatalogueCache catalogue,
            PopularItems popular,
            SeenItems seenItems,
            MambaRecProperties properties) {
        this(
                store,
                catalogue,
                popular,
                seenItems,
                properties.bootstrap().dataset(),
                properties.bootstrap().demo());
    }

    StartupImport(
            CatalogueStore store,
            CatalogueCache catalogue,
            PopularItems popular,
            SeenItems seenItems,
            String datasetDir,
            boolean demo) {
        this.store = store;
        this.catalogue = catalogue;
        this.popular = popular;
        this.seenItems = seenItems;
        this.datasetDir = datasetDir == null ? "" : datasetDir.trim();
        this.demo = demo;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!datasetDir.isEmpty()) {
            Path dir = Path.of(datasetDir).toAbsolutePath().normalize();
            if (store.itemCount() == 0) {
                Dataset dataset = MmrecFolderReader.read(dir);
                importIfEmpty(dataset, new DatasetOrigin(dataset.name(), false, dir.toString(), null));
            } else {
                log.info("Catalogue not empty: mambarec.bootstrap.dataset={} not imported", dir);
            }
        } else if (demo) {
            if (store.itemCount() == 0) {
                log.warn("No dataset configured: loading the {}", SyntheticDemoDataset.description());
                importIfEmpty(
                        SyntheticDemoDataset.generate(),
                        new DatasetOrigin(SyntheticDemoDataset.NAME, true, SyntheticDemoDataset.description(), null));
            }
        }
        store.source().ifPresent(s -> {
            if (s.synthetic()) {
                log.warn("Serving the SYNTHETIC demo catalogue '{}' ({})", s.name(), s.origin());
            } else {
                log.info("Serving catalogue '{}' imported from {} at {}", s.name(), s.origin(), s.importedAt());
            }
        });
        catalogue.refresh();
        popular.refresh();
    }

    private void importIfEmpty(Dataset dataset, DatasetOrigin source) {
        long start = System.nanoTime();
        if (store.importIfEmpty(dataset, source, Instant.now())) {
            seenItems.allChanged(); // other replicas hear of the import through the change feed
            log.info(
                    "Imported '{}': {} users, {} items, {} interactions (train/valid/test {}/{}/{}) in {} ms",
                    dataset.name(),
                    dataset.numUsers(),
                    dataset.numItems(),
                    dataset.train().size()
                            + dataset.valid().size()
                            + dataset.test().size(),
                    dataset.train().size(),
                    dataset.valid().size(),
                    dataset.test().size(),
                    (System.nanoTime() - start) / 1_000_000);
        } else {
            log.info("Another replica filled the catalogue first; '{}' not imported", dataset.name());
        }
    }
}
