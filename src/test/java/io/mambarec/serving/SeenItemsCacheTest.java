package io.mambarec.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mambarec.data.Dataset;
import io.mambarec.storage.CatalogueStore;
import io.mambarec.storage.CatalogueStore.DatasetOrigin;
import io.mambarec.storage.InteractionStore;
import io.mambarec.storage.InteractionStore.NewInteraction;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.PostgresTestDatabase;
import io.mambarec.testsupport.TestHttp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The per-replica cache of seen items stays exact: events committed by another replica (the store
 * used directly, as another process would) are excluded within a second through the change feed;
 * while the feed's connection is gone the cache is bypassed, so even an event nobody announced is
 * excluded; and the feed comes back on its own.
 */
@PostgresSpringBootTest
class SeenItemsCacheTest {

    private static final String USER = "demo-user-0031";
    /** The API's promise: an event stored a second ago is excluded. */
    private static final Duration PROMISE = Duration.ofSeconds(1);

    @Autowired
    DataSource dataSource;

    @Autowired
    CatalogueStore catalogueStore;

    @Autowired
    CatalogueCache catalogue;

    @Autowired
    ActiveModel activeModel;

    @Autowired
    InteractionStore interactions;

    @Autowired
    SeenItems seenItems;

    @LocalServerPort
    int port;

    private TestHttp http;

    @BeforeEach
    void demoCatalogueAndModel() {
        PostgresTestDatabase.truncateAll(dataSource);
        Dataset demo = SyntheticDemoDataset.generate();
        catalogueStore.importIfEmpty(demo, new DatasetOrigin(demo.name(), true, "test", null), Instant.now());
        catalogue.refresh();
        seenItems.allChanged(); // as the import's announcement will, without waiting for it
        activeModel.activate(PlantedModel.of(demo, SyntheticDemoDataset.USERS, 11));
        http = new TestHttp(port);
        await().atMost(Duration.ofSeconds(30)).until(seenItems::isCaching);
    }

    @Test
    void anotherReplicasEventIsExcludedWithinASecond() {
        String top = topItem();
        assertThat(topItem()).isEqualTo(top); // now answered from the cache

        interactions.ingest(List.of(new NewInteraction("other-replica-1", USER, top, Instant.now())));
        long stored = System.nanoTime();
        await().atMost(PROMISE)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> !recommended().contains(top));
        assertThat(Duration.ofNanos(System.nanoTime() - stored)).isLessThan(PROMISE);
    }

    @Test
    void withoutTheFeedTheCacheIsBypassedAndTheFeedReconnects() {
        String top = topItem();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Integer terminated = jdbc.queryForObject(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()",
                Integer.class);
        assertThat(terminated).isGreaterThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> !seenItems.isCaching());

        // stored without any announcement: only a lookup in the table can know of it
        jdbc.update(
                "INSERT INTO interaction (event_id, user_id, item_id, occurred_at)"
                        + " SELECT 'silent-1', u.id, i.id, now() FROM app_user u, item i WHERE u.external_id = ? AND i.external_id = ?",
                USER,
                top);
        assertThat(recommended()).doesNotContain(top);

        await().atMost(Duration.ofSeconds(30)).until(seenItems::isCaching);
        assertThat(recommended()).doesNotContain(top);
    }

    private String topItem() {
        return recommended().get(0);
    }

    private List<String> recommended() {
        TestHttp.Response response = http.get("/recommend/" + USER + "?k=50");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("strategy").asString()).isEqualTo("model");
        return StreamSupport.stream(response.json().path("items").spliterator(), false)
                .map(n -> n.path("itemId").asString())
                .toList();
    }
}
