package io.mambarec.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.data.Dataset;
import io.mambarec.serving.ActiveModel;
import io.mambarec.serving.DemoCatalogue;
import io.mambarec.serving.PlantedModel;
import io.mambarec.serving.PopularItems;
import io.mambarec.serving.SyntheticDemoDataset;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.TestHttp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The serving API end to end over HTTP on the real test PostgreSQL. Each test starts from the
 * freshly imported synthetic demo catalogue with a {@link PlantedModel} active, whatever ran before.
 */
@PostgresSpringBootTest(properties = "mambarec.security.admin-api-key=test-admin")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceApiTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    DataSource dataSource;

    @Autowired
    PopularItems popular;

    @Autowired
    ActiveModel activeModel;

    @LocalServerPort
    int port;

    TestHttp http;
    TestHttp admin;
    JdbcTemplate jdbc;
    Dataset demo;

    @BeforeAll
    void clients() {
        http = new TestHttp(port);
        admin = http.withApiKey("test-admin");
        jdbc = new JdbcTemplate(dataSource);
    }

    /** Every test starts from the freshly imported demo catalogue with the planted model (version 7) served. */
    @BeforeEach
    void demoCatalogueAndPlantedModel() {
        demo = DemoCatalogue.importFresh(context);
        activeModel.activate(PlantedModel.of(demo, 300, 7));
    }

    @Test
    void beforeAnyModelEveryoneGetsPopularUnseenItems() {
        activeModel.activate(null);
        JsonNode known = http.get("/recommend/demo-user-0001?k=5").json();
        assertThat(known.path("strategy").asString()).isEqualTo("popular");
        assertThat(known.path("modelVersion").isNull()).isTrue();
        assertThat(ids(known)).hasSize(5).doesNotContainAnyElementsOf(seen("demo-user-0001"));
        List<Double> scores = scores(known);
        assertThat(scores).isSortedAccordingTo((a, b) -> Double.compare(b, a));

        JsonNode stranger = http.get("/recommend/nobody-yet").json();
        assertThat(stranger.path("strategy").asString()).isEqualTo("popular");
        assertThat(ids(stranger)).hasSize(20);
        // similar items work before any model, in feature space: same planted taste
        JsonNode similar = http.get("/items/demo-item-0003/similar?k=5").json();
        assertThat(similar.path("similarity").asString()).isEqualTo("feature-cosine");
        assertThat(ids(similar)).allMatch(id -> PlantedModel.taste(PlantedModel.itemIndex(id)) == 3);
    }

    @Test
    void knownUsersGetTheModelsTopItemsWithoutSeenOnes() {
        TestHttp.Response response = http.get("/recommend/demo-user-0010?k=10");
        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("userId").asString()).isEqualTo("demo-user-0010");
        assertThat(body.path("modelVersion").asLong()).isEqualTo(7);
        assertThat(body.path("strategy").asString()).isEqualTo("model");
        List<String> items = ids(body);
        assertThat(items).hasSize(10).doesNotHaveDuplicates().doesNotContainAnyElementsOf(seen("demo-user-0010"));
        // user 10's main taste is 2: its unseen taste-2 items come first
        assertThat(items).allMatch(id -> PlantedModel.taste(PlantedModel.itemIndex(id)) == PlantedModel.mainTaste(10));
        assertThat(scores(body)).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void anItemPostedAMomentAgoIsNoLongerRecommended() {
        String top = ids(http.get("/recommend/demo-user-0011?k=3").json()).get(0);
        TestHttp.Response posted =
                http.post("/interactions", TestHttp.json(List.of(event("demo-user-0011", top, "evt-just-now"))));
        assertThat(posted.status()).isEqualTo(202);
        assertThat(ids(http.get("/recommend/demo-user-0011?k=3").json())).doesNotContain(top);
    }

    @Test
    void aUserUnknownToTheModelIsFoldedInFromStoredInteractions() {
        // demo users 300.. were imported with interactions but the model does not know them
        JsonNode imported = http.get("/recommend/demo-user-0305?k=5").json();
        assertThat(imported.path("strategy").asString()).isEqualTo("fold-in");
        assertThat(ids(imported)).hasSize(5).doesNotContainAnyElementsOf(seen("demo-user-0305"));

        // a brand-new user who has just looked at taste-5 items
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i : new int[] {5, 13, 21, 29}) {
            events.add(event("fresh-user", String.format("demo-item-%04d", i), "fresh-" + i));
        }
        assertThat(http.post("/interactions", TestHttp.json(events))
                        .json()
                        .path("accepted")
                        .asInt())
                .isEqualTo(4);
        JsonNode fresh = http.get("/recommend/fresh-user?k=8").json();
        assertThat(fresh.path("strategy").asString()).isEqualTo("fold-in");
        assertThat(ids(fresh))
                .hasSize(8)
                .doesNotContain("demo-item-0005", "demo-item-0013", "demo-item-0021", "demo-item-0029")
                .allMatch(id -> PlantedModel.taste(PlantedModel.itemIndex(id)) == 5);
    }

    @Test
    void aUserWithoutInteractionsGetsPopularItems() {
        JsonNode body = http.get("/recommend/never-seen-before?k=7").json();
        assertThat(body.path("strategy").asString()).isEqualTo("popular");
        assertThat(body.path("modelVersion").asLong()).isEqualTo(7);
        assertThat(ids(body)).hasSize(7);
        Long topCount = jdbc.queryForObject(
                "SELECT max(c) FROM (SELECT count(*) c FROM interaction GROUP BY item_id) t", Long.class);
        popular.refresh();
        // k = 2: one slot is reserved for the newest items (fresh share), the other is the most popular item
        assertThat(http.get("/recommend/never-seen-before?k=2")
                        .json()
                        .path("items")
                        .get(0)
                        .path("score")
                        .asLong())
                .isEqualTo(topCount);
    }

    @Test
    void recommendRejectsBadInput() {
        assertThat(http.get("/recommend/demo-user-0001?k=0").isProblem(400)).isTrue();
        assertThat(http.get("/recommend/demo-user-0001?k=501").isProblem(400)).isTrue();
        assertThat(http.get("/recommend/demo-user-0001?k=ten").isProblem(400)).isTrue();
        assertThat(http.get("/recommend/" + "u".repeat(129)).isProblem(400)).isTrue();
        assertThat(http.get("/recommend/bad%20id").isProblem(400)).isTrue();
        assertThat(http.get("/recommend/demo-user-0001?k=500")
                        .json()
                        .path("items")
                        .size())
                .isGreaterThan(200);
    }

    @Test
    void similarItemsByFusedEmbedding() {
        JsonNode body = http.get("/items/demo-item-0004/similar?k=6").json();
        assertThat(body.path("itemId").asString()).isEqualTo("demo-item-0004");
        assertThat(body.path("similarity").asString()).isEqualTo("embedding-cosine");
        assertThat(ids(body))
                .hasSize(6)
                .doesNotContain("demo-item-0004")
                .allMatch(id -> PlantedModel.taste(PlantedModel.itemIndex(id)) == 4);
        assertThat(http.get("/items/no-such-item/similar").isProblem(404)).isTrue();
        assertThat(http.get("/items/demo-item-0004/similar?k=-1").isProblem(400))
                .isTrue();
    }

    @Test
    void interactionsAreIdempotentByEventId() {
        long before = count();
        String batch = TestHttp.json(List.of(
                event("idem-user", "demo-item-0001", "idem-1"),
                event("idem-user", "demo-item-0002", "idem-2"),
                event("idem-user", "demo-item-0002", "idem-2")));
        JsonNode first = http.post("/interactions", batch).json();
        assertThat(first.path("accepted").asInt()).isEqualTo(2);
        assertThat(first.path("duplicate").asInt()).isEqualTo(1);
        JsonNode again = http.post("/interactions", batch).json();
        assertThat(again.path("accepted").asInt()).isZero();
        assertThat(again.path("duplicate").asInt()).isEqualTo(3);
        assertThat(count()).isEqualTo(before + 2);
    }

    @Test
    void aBatchWithAnUnknownItemStoresNothing() {
        long before = count();
        TestHttp.Response response = http.post(
                "/interactions",
                TestHttp.json(List.of(
                        event("batch-user-422", "demo-item-0001", "b422-1"),
                        event("batch-user-422", "ghost-item", "b422-2"))));
        assertThat(response.isProblem(422)).as(response.toString()).isTrue();
        assertThat(response.json().path("unknownItems").get(0).asString()).isEqualTo("ghost-item");
        assertThat(count()).isEqualTo(before);
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM app_user WHERE external_id = 'batch-user-422'", Long.class))
                .isZero();
    }

    @Test
    void interactionsRejectBadInput() {
        long before = count();
        assertThat(http.post("/interactions", "[]").isProblem(400)).isTrue();
        assertThat(http.post("/interactions", "{not json").isProblem(400)).isTrue();
        assertThat(http.post("/interactions", "{\"userId\": \"u\"}").isProblem(400))
                .isTrue();
        TestHttp.Response noTimestamp =
                http.post("/interactions", "[{\"userId\":\"u\",\"itemId\":\"demo-item-0001\",\"eventId\":\"e\"}]");
        assertThat(noTimestamp.isProblem(400)).isTrue();
        assertThat(noTimestamp.json().path("errors").get(0).asString())
                .isEqualTo("events[0].timestamp: must not be null");
        assertThat(http.post(
                                "/interactions",
                                "[{\"userId\":\"u\",\"itemId\":\"demo-item-0001\",\"eventId\":\"e\","
                                        + "\"timestamp\":\"yesterday\"}]")
                        .isProblem(400))
                .isTrue();
        assertThat(http.post(
                                "/interactions",
                                TestHttp.json(List.of(Map.of(
                                        "userId",
                                        "u",
                                        "itemId",
                                        "demo-item-0001",
                                        "eventId",
                                        "e-future",
                                        "timestamp",
                                        "2999-01-01T00:00:00Z"))))
                        .isProblem(400))
                .isTrue();
        assertThat(http.post("/interactions", TestHttp.json(List.of(event("bad user", "demo-item-0001", "e1"))))
                        .isProblem(400))
                .isTrue();
        List<Map<String, Object>> tooMany = IntStream.range(0, InteractionController.MAX_BATCH + 1)
                .mapToObj(i -> event("bulk", "demo-item-0001", "bulk-" + i))
                .toList();
        assertThat(http.post("/interactions", TestHttp.json(tooMany)).isProblem(400))
                .isTrue();
        assertThat(http.send("POST", "/interactions", null).isProblem(400)).isTrue();
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void aNewItemIsRecommendableBeforeTheNextRetrain() {
        // features: the planted centroid of taste 6 (mean of its items' features)
        Map<String, Object> features = Map.of("image", centroid("image", 6), "text", centroid("text", 6));
        TestHttp.Response created = admin.put("/items/new-taste-6", TestHttp.json(Map.of("features", features)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("created").asBoolean()).isTrue();
        assertThat(created.json().path("embedding").asString()).isEqualTo("neighbours");

        // user 6 (main taste 6) has seen some taste-6 items; the new one ranks among the unseen taste-6 items
        JsonNode body = http.get("/recommend/demo-user-0006?k=30").json();
        List<String> ids = ids(body);
        int firstOtherTaste = IntStream.range(0, ids.size())
                .filter(r -> !ids.get(r).equals("new-taste-6")
                        && PlantedModel.taste(PlantedModel.itemIndex(ids.get(r))) != 6)
                .findFirst()
                .orElse(ids.size());
        assertThat(ids.indexOf("new-taste-6")).isBetween(0, firstOtherTaste - 1);
        assertThat(ids(http.get("/items/new-taste-6/similar?k=5").json()))
                .allMatch(id -> PlantedModel.taste(PlantedModel.itemIndex(id)) == 6);
        // interactions may name it at once
        assertThat(http.post("/interactions", TestHttp.json(List.of(event("u-new", "new-taste-6", "new-6-1"))))
                        .status())
                .isEqualTo(202);

        TestHttp.Response updated = admin.put("/items/new-taste-6", TestHttp.json(Map.of("features", features)));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("created").asBoolean()).isFalse();
    }

    @Test
    void itemWritesRejectBadFeatures() {
        float[] image = centroid("image", 1);
        float[] text = centroid("text", 1);
        // (a missing modality is imputed from neighbours: see ShopCatalogueTest)
        assertThat(admin.put(
                                "/items/x1",
                                TestHttp.json(Map.of("features", Map.of("image", image, "text", new float[3]))))
                        .isProblem(400))
                .isTrue();
        assertThat(admin.put(
                                "/items/x1",
                                TestHttp.json(Map.of("features", Map.of("image", image, "text", text, "audio", text))))
                        .isProblem(400))
                .isTrue();
        String huge = TestHttp.json(Map.of("features", Map.of("image", image, "text", text)))
                .replaceFirst("\\[[-0-9.Ee]+", "[1e39");
        assertThat(admin.put("/items/x1", huge).isProblem(400)).isTrue();
        assertThat(admin.put("/items/x1", "{\"features\": 5}").isProblem(400)).isTrue();
        assertThat(admin.put("/items/x1", "{}").isProblem(400)).isTrue();
        assertThat(admin.put("/items/bad!id", TestHttp.json(Map.of("features", Map.of("image", image, "text", text))))
                        .isProblem(400))
                .isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM item WHERE external_id = 'x1'", Long.class))
                .isZero();
    }

    @Test
    void protocolErrorsAreProblemDetails() {
        assertThat(http.delete("/interactions").isProblem(405)).isTrue();
        assertThat(http.send("PATCH", "/recommend/u1", "{}").isProblem(405)).isTrue();
        assertThat(http.get("/nothing/here").isProblem(404)).isTrue();
        TestHttp.Response noBody = http.send("POST", "/interactions", null);
        assertThat(noBody.isProblem(400)).isTrue();
        TestHttp.Response text = http.send("POST", "/interactions", "hello", "text/plain");
        assertThat(text.isProblem(415)).as(text.toString()).isTrue();
    }

    @Test
    void readinessIsUpAndOperationsEndpointsAnswer() {
        assertThat(http.get("/actuator/health/readiness").json().path("status").asString())
                .isEqualTo("UP");
        assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
        String metrics = http.get("/actuator/prometheus").body();
        assertThat(metrics)
                .contains(
                        "mambarec_recommend_seconds_count{strategy=\"model\"}", "mambarec_interactions_ingested_total");
        JsonNode api = http.get("/v3/api-docs").json();
        assertThat(api.path("paths").has("/recommend/{userId}")).isTrue();
        assertThat(api.path("paths").has("/interactions")).isTrue();
    }

    private float[] centroid(String modality, int taste) {
        var matrix = demo.features().get(modality);
        float[] mean = new float[matrix.cols()];
        int n = 0;
        for (int i = taste; i < demo.numItems(); i += SyntheticDemoDataset.TASTES) {
            float[] row = matrix.row(i);
            for (int d = 0; d < row.length; d++) {
                mean[d] += row[d];
            }
            n++;
        }
        for (int d = 0; d < mean.length; d++) {
            mean[d] /= n;
        }
        return mean;
    }

    private static Map<String, Object> event(String user, String item, String eventId) {
        return Map.of(
                "userId",
                user,
                "itemId",
                item,
                "eventId",
                eventId,
                "timestamp",
                Instant.now().toString());
    }

    private List<String> seen(String user) {
        return jdbc.queryForList(
                "SELECT i.external_id FROM interaction x JOIN item i ON i.id = x.item_id"
                        + " JOIN app_user u ON u.id = x.user_id WHERE u.external_id = ?",
                String.class,
                user);
    }

    private long count() {
        return jdbc.queryForObject("SELECT count(*) FROM interaction", Long.class);
    }

    private static List<String> ids(JsonNode body) {
        return StreamSupport.stream(body.path("items").spliterator(), false)
                .map(n -> n.path("itemId").asString())
                .toList();
    }

    private static List<Double> scores(JsonNode body) {
        return StreamSupport.stream(body.path("items").spliterator(), false)
                .map(n -> n.path("score").asDouble())
                .toList();
    }
}
