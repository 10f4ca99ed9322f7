package io.mambarec.serving;

import io.mambarec.MambaRecApplication;
import io.mambarec.data.Dataset;
import io.mambarec.storage.CatalogueStore;
import io.mambarec.storage.CatalogueStore.DatasetOrigin;
import io.mambarec.testsupport.PostgresTestDatabase;
import io.mambarec.testsupport.PostgresTestInitializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The synthetic demo catalogue in the test database, and more replicas serving it. */
public final class DemoCatalogue {

    private DemoCatalogue() {}

    /** Empties the database, imports the demo catalogue and loads it into the caches of {@code replica}. */
    public static Dataset importFresh(ApplicationContext replica) {
        PostgresTestDatabase.truncateAll(replica.getBean(DataSource.class));
        Dataset demo = SyntheticDemoDataset.generate();
        replica.getBean(CatalogueStore.class)
                .importIfEmpty(
                        demo,
                        new DatasetOrigin(demo.name(), true, "test", null),
                        Instant.parse("2025-01-01T00:00:00Z"));
        replica.getBean(CatalogueCache.class).refresh();
        replica.getBean(PopularItems.class).refresh();
        return demo;
    }

    /** Another replica on the test database serving {@code model} (as the registry's poller would); close it. */
    public static ConfigurableApplicationContext startReplica(ServingModel model, String... properties) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--mambarec.retrain.on-empty-registry=false"));
        args.addAll(List.of(properties));
        ConfigurableApplicationContext replica = new SpringApplicationBuilder(MambaRecApplication.class)
                .initializers(new PostgresTestInitializer())
                .run(args.toArray(String[]::new));
        replica.getBean(CatalogueCache.class).refresh();
        replica.getBean(ActiveModel.class).activate(model);
        return replica;
    }

    public static int port(ConfigurableApplicationContext replica) {
        return ((WebServerApplicationContext) replica).getWebServer().getPort();
    }
}
