package io.mambarec.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.data.Dataset;
import io.mambarec.data.Interactions;
import io.mambarec.jobs.TrainingDatasetReader;
import io.mambarec.serving.ActiveModel;
import io.mambarec.serving.DemoCatalogue;
import io.mambarec.serving.PlantedModel;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.TestHttp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Event types over HTTP: stored with their type, weights and dislikes in the training snapshot, bad types refused. */
@PostgresSpringBootTest(properties = "mambarec.security.admin-api-key=test-admin")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShopEventsTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    DataSource dataSource;

    @Autowired
    ActiveModel activeModel;

    @Autowired
    TrainingDatasetReader snapshot;

    @LocalServerPort
    int port;

    TestHttp http;
    JdbcTemplate jdbc;
    Dataset demo;

    @BeforeAll
    void importDemo() {
        demo = DemoCatalogue.importFresh(context);
        activeModel.activate(PlantedModel.of(demo, 300, 3));
        http = new TestHttp(port);
        jdbc = new JdbcTemplate(dataSource);
    }

    @Test
    void eventTypesAreStoredAndWeightedForTrainingAndADislikeIsNeverAPositive() {
        List<Map<String, Object>> events = List.of(
                event("typed-user", "demo-item-0001", "t-1", "view"),
                event("typed-user", "demo-item-0002", "t-2", "cart"),
                event("typed-user", "demo-item-0003", "t-3", null),
                event("typed-user", "demo-item-0004", "t-4", "like"),
                event("typed-user", "demo-item-0005", "t-5", "purchase"),
                event("typed-user", "demo-item-0005", "t-6", "dislike"));
        assertThat(http.post("/interactions", TestHttp.json(events)).status()).isEqualTo(202);
        assertThat(jdbc.queryForList(
                        "SELECT event_type FROM interaction WHERE event_id LIKE 't-%' ORDER BY event_id", String.class))
                .containsExactly("view", "cart", "purchase", "like", "purchase", "dislike");

        Dataset data = snapshot.read("test");
        int user = data.userIds().indexOf("typed-user");
        Interactions train = data.train();
        Map<String, Float> weightOf = new HashMap<>();
        for (int k = 0; k < train.size(); k++) {
            if (train.users()[k] == user) {
                weightOf.put(data.itemIds().get(train.items()[k]), train.weights() == null ? 1f : train.weights()[k]);
            }
        }
        // 4 positives (item 5 disliked): the latest (item 4) tests, item 3 validates, items 1 and 2 train
        assertThat(weightOf).containsOnly(Map.entry("demo-item-0001", 0.25f), Map.entry("demo-item-0002", 0.5f));
        assertThat(itemsOf(data, data.test(), user)).containsExactly("demo-item-0004");
        assertThat(itemsOf(data, data.valid(), user)).containsExactly("demo-item-0003");
    }

    @Test
    void aDislikedItemLeavesThatUsersRecommendationsAtOnce() {
        String top = ids(http.get("/recommend/demo-user-0012?k=1").json()).get(0);
        assertThat(http.post("/interactions", TestHttp.json(List.of(event("demo-user-0012", top, "d-1", "dislike"))))
                        .status())
                .isEqualTo(202);
        assertThat(ids(http.get("/recommend/demo-user-0012?k=50").json())).doesNotContain(top);
    }

    @Test
    void anUnknownOrMistypedEventTypeIsA400AndNothingIsStored() {
        long before = count();
        TestHttp.Response unknown = http.post(
                "/interactions",
                TestHttp.json(List.of(
                        event("bad-type-user", "demo-item-0001", "bt-1", "purchase"),
                        event("bad-type-user", "demo-item-0002", "bt-2", "wishlist"))));
        assertThat(unknown.isProblem(400)).as(unknown.toString()).isTrue();
        assertThat(unknown.json().path("detail").asString()).contains("type");
        TestHttp.Response wrongType = http.post(
                "/interactions",
                "[{\"userId\": \"bad-type-user\", \"itemId\":"
                        + " \"demo-item-0001\", \"eventId\": \"bt-3\", \"timestamp\": \"2025-01-01T00:00:00Z\", \"type\": 5}]");
        assertThat(wrongType.isProblem(400)).as(wrongType.toString()).isTrue();
        TestHttp.Response upperCase = http.post(
                "/interactions", TestHttp.json(List.of(event("bad-type-user", "demo-item-0001", "bt-4", "VIEW"))));
        assertThat(upperCase.isProblem(400)).as(upperCase.toString()).isTrue();
        assertThat(count()).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM app_user WHERE external_id = 'bad-type-user'", Long.class))
                .isZero();
    }

    private static List<String> itemsOf(Dataset data, Interactions split, int user) {
        return java.util.stream.IntStream.range(0, split.size())
                .filter(k -> split.users()[k] == user)
                .mapToObj(k -> data.itemIds().get(split.items()[k]))
                .toList();
    }

    private long count() {
        return jdbc.queryForObject("SELECT count(*) FROM interaction", Long.class);
    }

    static Map<String, Object> event(String user, String item, String eventId, String type) {
        Map<String, Object> event = new HashMap<>(Map.of(
                "userId",
                user,
                "itemId",
                item,
                "eventId",
                eventId,
                "timestamp",
                Instant.parse("2025-06-01T00:00:00Z")
                        .plusSeconds(eventId.hashCode() & 0xffff)
                        .toString()));
        if (type != null) {
            event.put("type", type);
        }
        return event;
    }

    static List<String> ids(JsonNode body) {
        return StreamSupport.stream(body.path("items").spliterator(), false)
                .map(n -> n.path("itemId").asString())
                .toList();
    }
}
