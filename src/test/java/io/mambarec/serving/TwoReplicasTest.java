package io.mambarec.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.data.Dataset;
import io.mambarec.storage.CatalogueStore;
import io.mambarec.storage.CatalogueStore.DatasetOrigin;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.PostgresTestDatabase;
import io.mambarec.testsupport.TestHttp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas on one database: an event posted to one is excluded by the other within a second; an item
 * written through one becomes recommendable on the other after its catalogue poll.
 */
@PostgresSpringBootTest(properties = "mambarec.security.admin-api-key=test-admin")
class TwoReplicasTest {

    @Autowired
    DataSource dataSource;

    @Autowired
    CatalogueStore store;

    @Autowired
    CatalogueCache catalogue;

    @Autowired
    ActiveModel activeModel;

    @LocalServerPort
    int port;

    @Test
    void replicasShareSeenItemsAndCatalogueWrites() throws InterruptedException {
        PostgresTestDatabase.truncateAll(dataSource);
        Dataset demo = SyntheticDemoDataset.generate();
        store.importIfEmpty(demo, new DatasetOrigin(demo.name(), true, "test", null), Instant.now());
        catalogue.refresh();
        ServingModel model = PlantedModel.of(demo, SyntheticDemoDataset.USERS, 11);
        activeModel.activate(model);

        try (ConfigurableApplicationContext second =
                DemoCatalogue.startReplica(model, "--mambarec.serving.catalogue-poll-interval=300ms")) {
            TestHttp a = new TestHttp(port).withApiKey("test-admin");
            TestHttp b = new TestHttp(DemoCatalogue.port(second));

            String top = ids(b.get("/recommend/demo-user-0020?k=1").json()).get(0);
            assertThat(a.post(
                                    "/interactions",
                                    TestHttp.json(List.of(Map.of(
                                            "userId",
                                            "demo-user-0020",
                                            "itemId",
                                            top,
                                            "eventId",
                                            "replica-evt-1",
                                            "timestamp",
                                            Instant.now().toString()))))
                            .status())
                    .isEqualTo(202);
            // B hears of A's commit through the change feed: excluded within the API's one second
            long posted = System.nanoTime();
            while (ids(b.get("/recommend/demo-user-0020?k=50").json()).contains(top)) {
                assertThat(System.nanoTime() - posted)
                        .as("excluded on B within a second")
                        .isLessThan(1_000_000_000L);
                Thread.sleep(10);
            }

            float[] image = demo.features().get("image").row(4);
            float[] text = demo.features().get("text").row(4);
            assertThat(a.put(
                                    "/items/written-on-a",
                                    TestHttp.json(Map.of("features", Map.of("image", image, "text", text))))
                            .status())
                    .isEqualTo(201);
            TestHttp.Response similar = b.get("/items/written-on-a/similar?k=3");
            for (int attempt = 0; attempt < 50 && similar.status() == 404; attempt++) {
                Thread.sleep(100);
                similar = b.get("/items/written-on-a/similar?k=3");
            }
            assertThat(similar.status()).isEqualTo(200);
            assertThat(similar.json().path("similarity").asString()).isEqualTo("embedding-cosine");
            assertThat(ids(similar.json())).allMatch(id -> PlantedModel.taste(PlantedModel.itemIndex(id)) == 4);
        }
    }

    private static List<String> ids(JsonNode body) {
        return StreamSupport.stream(body.path("items").spliterator(), false)
                .map(n -> n.path("itemId").asString())
                .toList();
    }
}
