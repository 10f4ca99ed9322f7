package io.mambarec.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.TestHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The shop's rules hold on every replica at once: stock, retirement and dislikes written through
 * replica A, and an erasure, change what replica B serves within a second (the change feed; B's
 * catalogue poll is set to a minute so that it cannot be what delivers them). Each test uses users
 * and items of its own.
 */
@PostgresSpringBootTest(properties = "mambarec.security.admin-api-key=test-admin")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShopRulesTwoReplicasTest {

    @Autowired
    ApplicationContext context;

    @LocalServerPort
    int port;

    ServingModel model;
    TwoReplicas replicas;
    TestHttp a;
    TestHttp b;

    @BeforeAll
    void twoReplicas() {
        replicas = TwoReplicas.start(context, port, 21, "60s");
        model = replicas.model();
        a = replicas.a();
        b = replicas.b();
    }

    @AfterAll
    void stopSecond() {
        replicas.close();
    }

    @Test
    void anItemOutOfStockOnOneReplicaLeavesTheOthersListsUntilBackInStock() {
        String top = ids(b.get("/recommend/demo-user-0040?k=1").json()).get(0);
        assertThat(a.send("PATCH", "/items/" + top, "{\"available\": false}").status())
                .isEqualTo(200);
        within(
                "out of stock on B",
                () -> !ids(b.get("/recommend/demo-user-0040?k=100").json()).contains(top));
        assertThat(ids(b.get("/recommend/someone-new?k=240").json())).doesNotContain(top);
        assertThat(a.send("PATCH", "/items/" + top, "{\"available\": true}").status())
                .isEqualTo(200);
        within(
                "back in stock on B",
                () -> ids(b.get("/recommend/demo-user-0040?k=1").json()).contains(top));
    }

    @Test
    void anItemRetiredOnOneReplicaIsNeverServedByTheOthers() {
        String top = ids(b.get("/recommend/demo-user-0043?k=1").json()).get(0);
        assertThat(a.delete("/items/" + top).status()).isEqualTo(204);
        within("retired on B", () -> b.get("/items/" + top + "/similar").status() == 404);
        assertThat(ids(b.get("/recommend/demo-user-0043?k=240").json())).doesNotContain(top);
        assertThat(ids(b.get("/items/demo-item-0001/similar?k=240").json())).doesNotContain(top);
        try (ConfigurableApplicationContext third = DemoCatalogue.startReplica(model)) {
            assertThat(new TestHttp(DemoCatalogue.port(third))
                            .get("/items/" + top + "/similar")
                            .status())
                    .as("retired on a replica started later")
                    .isEqualTo(404);
        }
    }

    @Test
    void aDislikePostedToOneReplicaLeavesThatUsersListOnTheOther() {
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
        within(
                "dislike on B",
                () -> !ids(b.get("/recommend/demo-user-0041?k=50").json()).contains(liked));
    }

    @Test
    void aUserErasedThroughOneReplicaIsUnknownToTheOthersAndToReplicasStartedLater() {
        assertThat(strategy(b, "demo-user-0042")).isEqualTo("model");
        assertThat(a.delete("/users/demo-user-0042").status()).isEqualTo(204);
        within("erasure on B", () -> strategy(b, "demo-user-0042").equals("popular"));
        try (ConfigurableApplicationContext third = DemoCatalogue.startReplica(model)) {
            TestHttp c = new TestHttp(DemoCatalogue.port(third));
            within(
                    "erasure on a replica started later",
                    () -> strategy(c, "demo-user-0042").equals("popular"));
        }
    }

    private static void within(String what, Callable<Boolean> condition) {
        await(what + " within a second")
                .atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(10))
                .until(condition);
    }

    private static String strategy(TestHttp replica, String user) {
        return replica.get("/recommend/" + user).json().path("strategy").asString();
    }

    private static List<String> ids(JsonNode body) {
        return StreamSupport.stream(body.path("items").spliterator(), false)
                .map(n -> n.path("itemId").asString())
                .toList();
    }
}
