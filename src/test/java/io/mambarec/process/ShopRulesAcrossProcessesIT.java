package io.mambarec.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The shop's rules hold on every replica, with replicas as separate OS processes on one database:
 * stock, retirement, dislikes and erasure written through replica A change what replica B serves
 * within a few seconds. B's catalogue poll is set to an hour, so only the cross-replica change feed
 * can deliver them. Each test uses its own users and items, so they hold in any order.
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class ShopRulesAcrossProcessesIT {

    /** Loose enough for a loaded build machine; the path itself is a NOTIFY plus a bit-set update. */
    private static final Duration PROPAGATION = Duration.ofSeconds(5);

    private static final String SHORT_JOB =
            "{\"model\": \"lightgcn\", \"maxEpochs\": 15, \"force\": true," + " \"params\": {\"learning_rate\": 0.01}}";

    private static ProcessCluster cluster;
    private static ServiceProcess replicaA;
    private static ServiceProcess replicaB;

    @BeforeAll
    static void twoReplicasServingOneModel() {
        cluster = ProcessCluster.onEmptyDatabase();
        replicaA = cluster.start("shop-a", "standalone");
        ProcessLifecycleIT.awaitReady(replicaA);
        replicaB = cluster.start("shop-b", "server", "mambarec.serving.catalogue-poll-interval=1h");
        ProcessLifecycleIT.awaitReady(replicaB);
        ProcessLifecycleIT.trainAndAwait(replicaA, replicaB, SHORT_JOB);
    }

    @AfterAll
    static void stopReplicas() throws InterruptedException {
        cluster.close();
    }

    @Test
    void anItemOutOfStockOnOneReplicaLeavesTheOthersListsAndComesBack() {
        String top = ids(replicaB.get("/recommend/demo-user-0040?k=1")).get(0);

        assertThat(replicaA.patch("/items/" + top, "{\"available\": false}").status())
                .isEqualTo(200);
        await().atMost(PROPAGATION)
                .until(() ->
                        !ids(replicaB.get("/recommend/demo-user-0040?k=100")).contains(top));
        assertThat(ids(replicaB.get("/recommend/someone-new?k=240"))).doesNotContain(top);

        assertThat(replicaA.patch("/items/" + top, "{\"available\": true}").status())
                .isEqualTo(200);
        await().atMost(PROPAGATION)
                .until(() -> ids(replicaB.get("/recommend/demo-user-0040?k=1")).contains(top));
    }

    @Test
    void anItemRetiredOnOneReplicaIsNeverServedByTheOther() {
        String top = ids(replicaB.get("/recommend/demo-user-0050?k=1")).get(0);

        assertThat(replicaA.delete("/items/" + top).status()).isEqualTo(204);
        await().atMost(PROPAGATION)
                .until(() -> replicaB.get("/items/" + top + "/similar").status() == 404);
        assertThat(ids(replicaB.get("/recommend/demo-user-0050?k=240"))).doesNotContain(top);
        assertThat(ids(replicaB.get("/recommend/someone-new?k=240"))).doesNotContain(top);
    }

    @Test
    void aDislikePostedToOneReplicaRemovesTheItemFromThatUsersListOnTheOther() {
        String liked = ids(replicaB.get("/recommend/demo-user-0041?k=1")).get(0);

        String dislike =
                "[{\"userId\": \"demo-user-0041\", \"itemId\": \"" + liked + "\", \"eventId\": \"process-dislike\","
                        + " \"type\": \"dislike\", \"timestamp\": \"" + Instant.now() + "\"}]";
        assertThat(replicaA.post("/interactions", dislike).status()).isEqualTo(202);
        await().atMost(PROPAGATION)
                .until(() ->
                        !ids(replicaB.get("/recommend/demo-user-0041?k=50")).contains(liked));
    }

    @Test
    void aUserErasedThroughOneReplicaIsAnUnknownUserOnTheOther() {
        assertThat(strategy(replicaB.get("/recommend/demo-user-0042"))).isEqualTo("model");

        assertThat(replicaA.delete("/users/demo-user-0042").status()).isEqualTo(204);
        await().atMost(PROPAGATION)
                .until(() -> strategy(replicaB.get("/recommend/demo-user-0042")).equals("popular"));
        assertThat(replicaA.get("/recommend/demo-user-0042")
                        .body()
                        .path("strategy")
                        .asString())
                .isEqualTo("popular");
    }

    private static String strategy(ServiceProcess.Response response) {
        return response.body().path("strategy").asString();
    }

    private static List<String> ids(ServiceProcess.Response response) {
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        return StreamSupport.stream(response.body().path("items").spliterator(), false)
                .map(item -> item.path("itemId").asString())
                .toList();
    }
}
