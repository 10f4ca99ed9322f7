package io.mambarec.api;

import static io.mambarec.api.ShopEventsTest.event;
import static io.mambarec.api.ShopEventsTest.ids;
import static io.mambarec.testsupport.TestVectors.cosine;
import static io.mambarec.testsupport.TestVectors.floats;
import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.data.Dataset;
import io.mambarec.jobs.TrainingDatasetReader;
import io.mambarec.serving.ActiveModel;
import io.mambarec.serving.DemoCatalogue;
import io.mambarec.serving.PlantedModel;
import io.mambarec.serving.PopularItems;
import io.mambarec.serving.SyntheticDemoDataset;
import io.mambarec.storage.UserErasureStore;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.TestHttp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
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
 * A shop's catalogue over HTTP on the real test PostgreSQL (demo catalogue, planted model): item
 * metadata, stock, retirement, categories, exclusions, batches, sessions, the fresh share of the
 * popular lists and erasure; bad input is a 400 that stores nothing.
 */
@PostgresSpringBootTest(properties = "mambarec.security.admin-api-key=test-admin")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShopCatalogueTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    DataSource dataSource;

    @Autowired
    ActiveModel activeModel;

    @Autowired
    PopularItems popular;

    @Autowired
    TrainingDatasetReader snapshot;

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

    /** Every test starts from the freshly imported demo catalogue with the planted model (version 5) served. */
    @BeforeEach
    void demoCatalogueAndPlantedModel() {
        demo = DemoCatalogue.importFresh(context);
        activeModel.activate(PlantedModel.of(demo, 300, 5));
    }

    /** Twelve items of every taste in the category "bags" (demo-item-0100, -0107, ...). */
    private List<String> bags() {
        List<String> bags = IntStream.range(0, 12)
                .mapToObj(i -> String.format("demo-item-%04d", 100 + i * 7))
                .toList();
        for (String id : bags) {
            assertThat(admin.send("PATCH", "/items/" + id, "{\"categories\": [\"bags\"]}")
                            .status())
                    .isEqualTo(200);
        }
        return bags;
    }

    @Test
    void anItemWithMetadataAndOneModalityGetsTheOtherImputedAndReadsBack() {
        float[] image = demo.features().get("image").row(3); // a taste-3 item's image
        TestHttp.Response put = admin.put(
                "/items/shop-item-1",
                TestHttp.json(Map.of(
                        "title",
                        "Trail shoe",
                        "description",
                        "Light and grippy",
                        "categories",
                        List.of("shoes", "outdoor"),
                        "available",
                        true,
                        "features",
                        Map.of("image", image))));
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        assertThat(put.json().path("imputed").get(0).asString()).isEqualTo("text");
        assertThat(put.json().path("computed").size()).isZero(); // the demo's text modality is 24-d, not MiniLM's

        JsonNode item = http.get("/items/shop-item-1").json();
        assertThat(item.path("itemId").asString()).isEqualTo("shop-item-1");
        assertThat(item.path("title").asString()).isEqualTo("Trail shoe");
        assertThat(item.path("description").asString()).isEqualTo("Light and grippy");
        assertThat(item.path("categories").toString()).isEqualTo("[\"shoes\",\"outdoor\"]");
        assertThat(item.path("available").asBoolean()).isTrue();
        assertThat(item.path("retired").asBoolean()).isFalse();
        assertThat(item.path("createdAt").asString()).isNotEmpty();
        assertThat(item.path("updatedAt").asString()).isNotEmpty();
        assertThat(item.path("modalities").toString()).isEqualTo("[\"image\",\"text\"]");
        assertThat(item.has("features")).isFalse();

        // the imputed text vector is the neighbours' (taste 3): closest to the taste-3 text centroid
        JsonNode withFeatures = http.get("/items/shop-item-1?features=true").json();
        assertThat(withFeatures.path("features").path("image").size()).isEqualTo(32);
        float[] text = floats(withFeatures.path("features").path("text"));
        assertThat(text).hasSize(24);
        int nearestTaste = IntStream.range(0, SyntheticDemoDataset.TASTES)
                .boxed()
                .max((a, b) -> Double.compare(cosine(text, centroid("text", a)), cosine(text, centroid("text", b))))
                .orElseThrow();
        assertThat(nearestTaste).isEqualTo(3);
        assertThat(http.get("/items/nope").isProblem(404)).isTrue();
    }

    @Test
    void unavailableItemsAreNeverRecommendedAndComeBackWhenInStock() {
        String top = ids(http.get("/recommend/demo-user-0010?k=1").json()).get(0);
        TestHttp.Response patched = admin.send("PATCH", "/items/" + top, "{\"available\": false}");
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().path("available").asBoolean()).isFalse();
        assertThat(ids(http.get("/recommend/demo-user-0010?k=100").json())).doesNotContain(top);
        assertThat(ids(http.get("/items/demo-item-0002/similar?k=100").json())).doesNotContain(top);
        assertThat(ids(http.get("/recommend/cold-visitor?k=240").json())).doesNotContain(top);
        // its own similar items still answer (a sold-out product page)
        assertThat(http.get("/items/" + top + "/similar?k=3").status()).isEqualTo(200);

        assertThat(admin.send("PATCH", "/items/" + top, "{\"available\": true}").status())
                .isEqualTo(200);
        assertThat(ids(http.get("/recommend/demo-user-0010?k=1").json())).containsExactly(top);
    }

    @Test
    void categoryAndExcludeFiltersStillGiveKItemsWhenKAreEligible() {
        // "bags": 12 items of every taste; two of them out of stock
        List<String> bags = bags();
        admin.send("PATCH", "/items/" + bags.get(0), "{\"available\": false}");
        admin.send("PATCH", "/items/" + bags.get(1), "{\"available\": false}");
        List<String> seen = jdbc.queryForList(
                "SELECT i.external_id FROM interaction x JOIN item i ON i.id = x.item_id"
                        + " JOIN app_user u ON u.id = x.user_id WHERE u.external_id = 'demo-user-0010'",
                String.class);
        List<String> eligible =
                bags.subList(2, 12).stream().filter(id -> !seen.contains(id)).toList();
        String excluded = eligible.get(0);
        int k = eligible.size() - 1; // exactly the eligible ones once `excluded` is excluded

        JsonNode body = http.get("/recommend/demo-user-0010?k=" + k + "&category=bags&exclude=" + excluded)
                .json();
        assertThat(body.path("strategy").asString()).isEqualTo("model");
        assertThat(ids(body)).hasSize(k).containsExactlyInAnyOrderElementsOf(eligible.subList(1, eligible.size()));
        assertThat(ids(http.get("/recommend/demo-user-0010?k=50&category=bags,nothing-here")
                        .json()))
                .containsExactlyInAnyOrderElementsOf(eligible);
        assertThat(ids(http.get("/recommend/demo-user-0010?k=5&category=nothing-here")
                        .json()))
                .isEmpty();
        assertThat(ids(http.get("/items/" + bags.get(5) + "/similar?k=50&category=bags")
                        .json()))
                .hasSize(9)
                .allMatch(bags::contains)
                .doesNotContain(bags.get(0), bags.get(1), bags.get(5));
        List<String> cold = ids(http.get("/recommend/cold-visitor?k=10&category=bags&exclude=" + excluded)
                .json());
        assertThat(cold).hasSize(9).allMatch(bags::contains).doesNotContain(bags.get(0), bags.get(1), excluded);
        assertThat(ids(http.get("/recommend/demo-user-0010?k=20&exclude=demo-item-0002,demo-item-0010")
                        .json()))
                .hasSize(20)
                .doesNotContain("demo-item-0002", "demo-item-0010");
    }

    @Test
    void aRetiredItemIsNeverServedItsSimilarIs404AndItsInteractionsAreKept() {
        String top = ids(http.get("/recommend/demo-user-0020?k=1").json()).get(0);
        long events = jdbc.queryForObject(
                "SELECT count(*) FROM interaction x JOIN item i ON i.id = x.item_id" + " WHERE i.external_id = ?",
                Long.class,
                top);
        assertThat(admin.delete("/items/" + top).status()).isEqualTo(204);
        assertThat(ids(http.get("/recommend/demo-user-0020?k=240").json())).doesNotContain(top);
        assertThat(ids(http.get("/recommend/cold-visitor?k=240").json())).doesNotContain(top);
        assertThat(http.get("/items/" + top + "/similar").isProblem(404)).isTrue();
        assertThat(ids(http.get("/items/demo-item-0004/similar?k=240").json())).doesNotContain(top);
        assertThat(http.get("/items/" + top).json().path("retired").asBoolean()).isTrue();
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM interaction x JOIN item i ON i.id = x.item_id"
                                + " WHERE i.external_id = ?",
                        Long.class,
                        top))
                .isEqualTo(events);
        assertThat(snapshot.read("t").itemIds()).contains(top);
        assertThat(admin.delete("/items/never-was").isProblem(404)).isTrue();
    }

    @Test
    void aBatchIsStoredWholeOrNotAtAll() {
        float[] image = demo.features().get("image").row(6);
        float[] text = demo.features().get("text").row(6);
        List<Map<String, Object>> good = List.of(
                Map.of("itemId", "batch-1", "title", "One", "features", Map.of("image", image, "text", text)),
                Map.of("itemId", "batch-2", "categories", List.of("bags"), "features", Map.of("image", image)));
        TestHttp.Response ok = admin.post("/items/batch", TestHttp.json(good));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().path("created").asInt()).isEqualTo(2);
        assertThat(ok.json().path("items").get(1).path("imputed").get(0).asString())
                .isEqualTo("text");
        assertThat(http.get("/items/batch-2").json().path("categories").get(0).asString())
                .isEqualTo("bags");

        long before = items();
        List<Map<String, Object>> bad = List.of(
                Map.of("itemId", "batch-3", "features", Map.of("image", image)),
                Map.of("itemId", "batch-4", "features", Map.of("image", new float[3])),
                Map.of("itemId", "batch-5", "features", Map.of("smell", image)),
                Map.of("itemId", "batch-6"));
        TestHttp.Response refused = admin.post("/items/batch", TestHttp.json(bad));
        assertThat(refused.isProblem(400)).as(refused.toString()).isTrue();
        JsonNode errors = refused.json().path("errors");
        assertThat(errors.size()).isEqualTo(3);
        assertThat(errors.get(0).path("index").asInt()).isEqualTo(1);
        assertThat(errors.get(0).path("itemId").asString()).isEqualTo("batch-4");
        assertThat(errors.get(1).path("detail").asString()).contains("smell");
        assertThat(errors.get(2).path("detail").asString()).contains("at least one modality");
        assertThat(items()).isEqualTo(before);

        List<Map<String, Object>> tooMany = IntStream.range(0, ItemController.MAX_BATCH + 1)
                .mapToObj(i -> Map.<String, Object>of("itemId", "bulk-" + i, "features", Map.of("image", image)))
                .toList();
        assertThat(admin.post("/items/batch", TestHttp.json(tooMany)).isProblem(400))
                .isTrue();
        assertThat(admin.post("/items/batch", "[]").isProblem(400)).isTrue();
        assertThat(admin.post("/items/batch", TestHttp.json(List.of(Map.of("features", Map.of("image", image)))))
                        .isProblem(400))
                .isTrue();
        List<Map<String, Object>> repeated = List.of(
                Map.of("itemId", "batch-7", "features", Map.of("image", image)),
                Map.of("itemId", "batch-7", "features", Map.of("image", image)));
        assertThat(admin.post("/items/batch", TestHttp.json(repeated)).isProblem(400))
                .isTrue();
        assertThat(items()).isEqualTo(before);
    }

    @Test
    void badItemInputIsA400AndStoresNothing() {
        float[] image = demo.features().get("image").row(1);
        long before = items();
        String features = TestHttp.json(Map.of("image", image));
        for (String body : List.of(
                "{\"categories\": \"shoes\", \"features\": " + features + "}",
                "{\"categories\": [\"a,b\"], \"features\": " + features + "}",
                "{\"categories\": [\"\"], \"features\": " + features + "}",
                "{\"categories\": [null], \"features\": " + features + "}",
                "{\"available\": \"maybe\", \"features\": " + features + "}",
                "{\"title\": [\"x\"], \"features\": " + features + "}",
                "{\"title\": \"" + "t".repeat(ItemController.MAX_TITLE + 1) + "\", \"features\": " + features + "}",
                "{\"itemId\": \"other-id\", \"features\": " + features + "}",
                "{\"features\": {\"image\": \"abc\"}}",
                "{}")) {
            TestHttp.Response response = admin.put("/items/bad-item", body);
            assertThat(response.isProblem(400))
                    .as(body.substring(0, Math.min(80, body.length())) + " -> " + response)
                    .isTrue();
        }
        assertThat(items()).isEqualTo(before);
        String patchTarget = "/items/demo-item-0050";
        JsonNode original = http.get(patchTarget).json();
        for (String body : List.of(
                "{}",
                "{\"available\": \"no\"}",
                "{\"categories\": \"x\"}",
                "{\"categories\": [\"a,b\"]}",
                "{\"available\": [true]}")) {
            assertThat(admin.send("PATCH", patchTarget, body).isProblem(400))
                    .as(body)
                    .isTrue();
        }
        assertThat(admin.send("PATCH", "/items/never-was", "{\"available\": false}")
                        .isProblem(404))
                .isTrue();
        assertThat(http.get(patchTarget).json().path("updatedAt").asString())
                .isEqualTo(original.path("updatedAt").asString());
        // query filters
        assertThat(http.get("/recommend/demo-user-0001?category=").isProblem(400))
                .isTrue();
        assertThat(http.get("/recommend/demo-user-0001?category=a,,b").isProblem(400))
                .isTrue();
        assertThat(http.get("/recommend/demo-user-0001?exclude=bad%20id").isProblem(400))
                .isTrue();
        assertThat(http.get("/items/demo-item-0001/similar?exclude=ok,bad!").isProblem(400))
                .isTrue();
    }

    @Test
    void adminEndpointsNeedTheAdminKey() {
        assertThat(http.send("PATCH", "/items/demo-item-0001", "{\"available\": false}")
                        .isProblem(401))
                .isTrue();
        assertThat(http.delete("/items/demo-item-0001").isProblem(401)).isTrue();
        assertThat(http.post("/items/batch", "[]").isProblem(401)).isTrue();
        assertThat(http.delete("/users/demo-user-0001").isProblem(401)).isTrue();
        assertThat(http.get("/items/demo-item-0001").json().path("available").asBoolean())
                .isTrue();
        assertThat(http.get("/items/demo-item-0001").json().path("retired").asBoolean())
                .isFalse();
    }

    @Test
    void sessionsFoldInTheGivenItemsAndExcludeThem() {
        List<String> recent = List.of("demo-item-0005", "demo-item-0013", "demo-item-0021"); // taste 5
        TestHttp.Response anonymous = http.post("/recommend", TestHttp.json(Map.of("recentItems", recent, "k", 6)));
        assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(200);
        assertThat(anonymous.json().path("strategy").asString()).isEqualTo("session");
        assertThat(ids(anonymous.json()))
                .hasSize(6)
                .doesNotContainAnyElementsOf(recent)
                .allMatch(id -> PlantedModel.taste(PlantedModel.itemIndex(id)) == 5);

        // a known user: half session, half history; the user's own items excluded too
        bags();
        Map<String, Object> known = new HashMap<>(
                Map.of("userId", "demo-user-0010", "recentItems", recent, "k", 30, "category", List.of("bags")));
        JsonNode body = http.post("/recommend", TestHttp.json(known)).json();
        assertThat(body.path("strategy").asString()).isEqualTo("session");
        assertThat(ids(body))
                .isNotEmpty()
                .allMatch(id -> http.get("/items/" + id)
                        .json()
                        .path("categories")
                        .toString()
                        .contains("bags"));
        assertThat(http.post("/recommend", TestHttp.json(Map.of("recentItems", List.of("ghost"))))
                        .isProblem(422))
                .isTrue();
        for (String bad : List.of(
                "{}",
                "{\"recentItems\": []}",
                "{\"recentItems\": \"demo-item-0001\"}",
                "{\"recentItems\": [\"demo-item-0001\"], \"k\": 0}",
                "{\"recentItems\": [\"bad id\"]}",
                "{\"recentItems\": [\"demo-item-0001\"], \"category\": [\"a,b\"]}")) {
            assertThat(http.post("/recommend", bad).isProblem(400)).as(bad).isTrue();
        }
    }

    @Test
    void coldUsersPopularListsReserveAShareForTheNewestItems() {
        float[] image = demo.features().get("image").row(7);
        for (String id : List.of("new-yesterday", "brand-new")) {
            TestHttp.Response put =
                    admin.put("/items/" + id, TestHttp.json(Map.of("title", id, "features", Map.of("image", image))));
            assertThat(put.status()).isEqualTo(201);
        }
        popular.refresh();
        JsonNode cold = http.get("/recommend/cold-visitor-2?k=10").json();
        assertThat(cold.path("strategy").asString()).isEqualTo("popular");
        assertThat(ids(cold)).hasSize(10).contains("brand-new");
        // 10% of 20 = 2 slots: the two newest
        assertThat(ids(http.get("/recommend/cold-visitor-2?k=20").json())).contains("brand-new", "new-yesterday");
    }

    @Test
    void anErasedUserIsServedAsUnknownAndLeavesNoTrace() {
        assertThat(http.get("/recommend/demo-user-0030").json().path("strategy").asString())
                .isEqualTo("model");
        assertThat(http.post(
                                "/interactions",
                                TestHttp.json(List.of(event("demo-user-0030", "demo-item-0001", "er-1", "view"))))
                        .status())
                .isEqualTo(202);
        Instant beforeErasure = snapshot.databaseNow();
        TestHttp.Response erased = admin.delete("/users/demo-user-0030");
        assertThat(erased.status()).isEqualTo(204);
        assertThat(http.get("/recommend/demo-user-0030").json().path("strategy").asString())
                .isEqualTo("popular");
        assertThat(jdbc.queryForObject(
                        "SELECT count(*) FROM app_user WHERE external_id = 'demo-user-0030'", Long.class))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM interaction WHERE event_id = 'er-1'", Long.class))
                .isZero();
        Map<String, Object> audit =
                jdbc.queryForMap("SELECT subject_sha256, events_deleted FROM user_erasure ORDER BY id DESC LIMIT 1");
        assertThat(audit.get("subject_sha256")).isEqualTo(UserErasureStore.subjectHash("demo-user-0030"));
        assertThat(((Number) audit.get("events_deleted")).intValue()).isGreaterThan(1);
        assertThat(snapshot.read("after-erasure").userIds()).doesNotContain("demo-user-0030");
        // a job whose snapshot was taken before the erasure discards its model
        assertThat(snapshot.erasedSince(beforeErasure, List.of("demo-user-0029", "demo-user-0030", "demo-user-0031")))
                .containsExactly("demo-user-0030");
        assertThat(snapshot.erasedSince(snapshot.databaseNow().plusSeconds(1), List.of("demo-user-0030")))
                .isEmpty();
        assertThat(admin.delete("/users/bad%20id").isProblem(400)).isTrue();
    }

    private long items() {
        return jdbc.queryForObject("SELECT count(*) FROM item", Long.class);
    }

    private float[] centroid(String modality, int taste) {
        var matrix = demo.features().get(modality);
        float[] mean = new float[matrix.cols()];
        for (int i = taste; i < demo.numItems(); i += SyntheticDemoDataset.TASTES) {
            float[] row = matrix.row(i);
            for (int d = 0; d < row.length; d++) {
                mean[d] += row[d];
            }
        }
        return mean;
    }
}
