package io.mambarec.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mambarec.data.Dataset;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.TestHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas on one database (A: this test's context, B: a second one polling the catalogue
 * every 300 ms), serving the demo catalogue with a planted model. Each test uses users and items
 * of its own.
 */
@PostgresSpringBootTest(properties = "mambarec.security.admin-api-key=test-admin")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoReplicasTest {

    @Autowired
    ApplicationContext context;

    @LocalServerPort
    int port;

    Dataset demo;
    TwoReplicas replicas;
    TestHttp a;
    TestHttp b;

    @BeforeAll
    void twoReplicas() {
        replicas = TwoReplicas.start(context, port, 11, "300ms");
        demo = replicas.demo();
        a = replicas.a();
        b = replicas.b();
    }

    @AfterAll
    void stopSecond() {
        replicas.close();
    }

    @Test
    void anEventPostedToOneReplicaIsExcludedOnTheOtherWithinASecond() {
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
        await("excluded on B")
                .atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(10))
                .until(() ->
                        !ids(b.get("/recommend/demo-user-0020?k=50").json()).contains(top));
    }

    @Test
    void anItemWrittenThroughOneReplicaIsSimilarOnTheOtherAfterItsCataloguePoll() {
        float[] image = demo.features().get("image").row(4);
        float[] text = demo.features().get("text").row(4);
        assertThat(a.put("/items/written-on-a", TestHttp.json(Map.of("features", Map.of("image", image, "text", text))))
                        .status())
                .isEqualTo(201);
        TestHttp.Response similar = await("known on B")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> b.get("/items/written-on-a/similar?k=3"), r -> r.status() != 404);
        assertThat(similar.status()).isEqualTo(200);
        assertThat(similar.json().path("similarity").asString()).isEqualTo("embedding-cosine");
        assertThat(ids(similar.json())).allMatch(id -> PlantedModel.taste(PlantedModel.itemIndex(id)) == 4);
    }

    private static List<String> ids(JsonNode body) {
        return StreamSupport.stream(body.path("items").spliterator(), false)
                .map(n -> n.path("itemId").asString())
                .toList();
    }
}
