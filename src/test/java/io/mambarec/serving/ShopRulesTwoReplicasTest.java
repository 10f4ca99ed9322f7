package io.mambarec.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.data.Dataset;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.TestHttp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The shop's rules hold on every replica at once: stock, retirement and dislikes written through
 * replica A, and an erasure, change what replica B serves within a second (the change feed; B's
 * catalogue poll is set to a minute so that it cannot be what delivers them).
 */
@PostgresSpringBootTest(properties = "mambarec.security.admin-api-key=test-admin")
class ShopRulesTwoReplicasTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    ActiveModel activeModel;

    @LocalServerPort
    int port;

    @Test
    void stockRetirementDislikesAndErasureApplyOnTheOtherReplicaWithinASecond() throws InterruptedException {
        Dataset demo = DemoCatalogue.importFresh(context);
        ServingModel model = PlantedModel.of(demo, SyntheticDemoDataset.USERS, 21);
        activeModel.activate(model);

        try (ConfigurableApplicationContext second =
                DemoCatalogue.startReplica(model, "--mambarec.serving.catalogue-poll-interval=60s")) {
            TestHttp a = new TestHttp(port).withApiKey("test-admin");
            TestHttp b = new TestHttp(DemoCatalogue.port(second));

            // out of stock on A: gone from B's lists; back in stock: back
            String top = ids(b.get("/recommend/demo-user-0040?k=1").json()).get(0);
            assertThat(a.send("PATCH", "/items/" + top, "{\"available\": false}")
                            .status())
                    .isEqualTo(200);
            within(() -> !ids(b.get("/recommend/demo-user-0040?k=100").json()).contains(top), "out of stock on B");
            assertThat(ids(b.get("/recommend/someone-new?k=240").json())).doesNotContain(top);
            assertThat(a.send("PATCH", "/items/" + top, "{\"available\": true}").status())
                    .isEqualTo(200);
            within(() -> ids(b.get("/recommend/demo-user-0040?k=1").json()).contains(top), "back in stock on B");

            // retired on A: never served by B, its /similar a 404 there
            assertThat(a.delete("/items/" + top).status()).isEqualTo(204);
            within(() -> b.get("/items/" + top + "/similar").status() == 404, "retired on B");
            assertThat(ids(b.get("/recommend/demo-user-0040?k=240").json())).doesNotContain(top);
            assertThat(ids(b.get("/items/demo-item-0001/similar?k=240").json())).doesNotContain(top);

            // a dislike posted to A: gone from that user's list on B
            String liked = ids(b.get("/recommend/demo-user-0041?k=1").json()).get(0);
            assertThat(a.post(
                                    "/interactions",
                                    TestHttp.json(List.of(Map.of(
                                            "userId",
                                            "demo-user-0041",
                                            "itemId",
                                            liked,
                                            "eventId",
                                            "two-replicas-dislike",
                                            "type",
                                            "dislike",
                                            "timestamp",
                                            Instant.now().toString()))))
                            .status())
                    .isEqualTo(202);
            within(() -> !ids(b.get("/recommend/demo-user-0041?k=50").json()).contains(liked), "dislike on B");

            // erased through A: B serves the id as an unknown user
            assertThat(b.get("/recommend/demo-user-0042")
                            .json()
                            .path("strategy")
                            .asString())
                    .isEqualTo("model");
            assertThat(a.delete("/users/demo-user-0042").status()).isEqualTo(204);
            within(
                    () -> b.get("/recommend/demo-user-0042")
                            .json()
                            .path("strategy")
                            .asString()
                            .equals("popular"),
                    "erasure on B");
            // a replica started after the erasure knows it too
            try (ConfigurableApplicationContext third = DemoCatalogue.startReplica(model)) {
                TestHttp c = new TestHttp(DemoCatalogue.port(third));
                within(
                        () -> c.get("/recommend/demo-user-0042")
                                .json()
                                .path("strategy")
                                .asString()
                                .equals("popular"),
                        "erasure on a replica started later");
                assertThat(c.get("/items/" + top + "/similar").status()).isEqualTo(404);
            }
        }
    }

    private static void within(BooleanSupplier condition, String what) throws InterruptedException {
        long start = System.nanoTime();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - start).as(what + " within a second").isLessThan(1_000_000_000L);
            Thread.sleep(10);
        }
    }

    private static List<String> ids(JsonNode body) {
        return StreamSupport.stream(body.path("items").spliterator(), false)
                .map(n -> n.path("itemId").asString())
                .toList();
    }
}
