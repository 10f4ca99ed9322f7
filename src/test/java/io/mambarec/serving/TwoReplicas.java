package io.mambarec.serving;

import io.mambarec.data.Dataset;
import io.mambarec.testsupport.TestHttp;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two replicas on the test database serving the demo catalogue and one planted model: the test's
 * own context ({@code a}, with the admin key {@code test-admin}) and a second one started here
 * ({@code b}); close to stop the second.
 *
 * @param demo the freshly imported demo catalogue
 * @param model the planted model both serve
 */
record TwoReplicas(Dataset demo, ServingModel model, ConfigurableApplicationContext second, TestHttp a, TestHttp b)
        implements AutoCloseable {

    /** Imports the demo catalogue, serves the planted model {@code version} on {@code first} and starts the second. */
    static TwoReplicas start(ApplicationContext first, int firstPort, long version, String cataloguePollInterval) {
        Dataset demo = DemoCatalogue.importFresh(first);
        ServingModel model = PlantedModel.of(demo, SyntheticDemoDataset.USERS, version);
        first.getBean(ActiveModel.class).activate(model);
        ConfigurableApplicationContext second = DemoCatalogue.startReplica(
                model, "--mambarec.serving.catalogue-poll-interval=" + cataloguePollInterval);
        return new TwoReplicas(
                demo,
                model,
                second,
                new TestHttp(firstPort).withApiKey("test-admin"),
                new TestHttp(DemoCatalogue.port(second)));
    }

    @Override
    public void close() {
        second.close();
    }
}
