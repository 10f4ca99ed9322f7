package io.mambarec.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.data.Dataset;
import io.mambarec.serving.CatalogueCache;
import io.mambarec.serving.SyntheticDemoDataset;
import io.mambarec.storage.CatalogueStore;
import io.mambarec.storage.CatalogueStore.DatasetOrigin;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.PostgresTestDatabase;
import io.mambarec.testsupport.RawHttp;
import io.mambarec.testsupport.TestHttp;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Malformed, hostile and unauthorised requests against every endpoint, over real HTTP on the
 * demo catalogue: each gets exactly its 4xx as an RFC 9457 problem detail with a type, naming no
 * Java class or package, and leaves every table as it was. The Tomcat-level cases (requests
 * rejected before any servlet runs) go over a raw socket.
 */
@PostgresSpringBootTest(
        properties = {
            "mambarec.security.admin-api-key=" + BadInputTest.ADMIN,
            "mambarec.security.client-api-keys=" + BadInputTest.CLIENT
        })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    static final String ADMIN = "admin-key-1";
    static final String CLIENT = "client-key-1";
    static final String GOOD_ITEM = "demo-item-0001";
    static final List<String> TABLES = List.of(
            "modality",
            "item",
            "item_feature",
            "app_user",
            "interaction",
            "training_job",
            "model_version",
            "catalogue_source");
    /** Anything that would reveal the implementation: packages, class names, Jackson's hints, stacks. */
    static final Pattern INTERNAL = Pattern.compile(
            "io\\.mambarec|java\\.|javax\\.|jakarta\\.|tools\\.jackson|fasterxml|springframework|org\\.apache"
                    + "|Exception|\\$[A-Z]|Feature\\.|[A-Za-z]Feature|\\tat |Tomcat|<html|<!doctype",
            Pattern.CASE_INSENSITIVE);

    @Autowired
    DataSource dataSource;

    @Autowired
    CatalogueStore store;

    @Autowired
    CatalogueCache catalogue;

    @LocalServerPort
    int port;

    JdbcTemplate jdbc;
    Map<String, Long> before;

    @BeforeAll
    void catalogue() {
        PostgresTestDatabase.truncateAll(dataSource);
        Dataset demo = SyntheticDemoDataset.generate();
        store.importIfEmpty(
                demo, new DatasetOrigin(demo.name(), true, "test", null), Instant.parse("2025-01-01T00:00:00Z"));
        catalogue.refresh();
        jdbc = new JdbcTemplate(dataSource);
        before = counts();
    }

    /** One request: method, path, body (null: none), content type, key (null: none), expected status. */
    record Case(String name, String method, String path, String body, String contentType, String key, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    static String event(String userId, String itemId, String timestamp, String eventId) {
        return "{\"userId\":" + userId + ",\"itemId\":" + itemId + ",\"timestamp\":" + timestamp + ",\"eventId\":"
                + eventId + "}";
    }

    static String goodEvent(String eventId) {
        return event("\"u-new\"", "\"" + GOOD_ITEM + "\"", "\"2025-01-02T00:00:00Z\"", "\"" + eventId + "\"");
    }

    static String image(int dim, String value) {
        return "[" + String.join(",", Collections.nCopies(dim, value)) + "]";
    }

    static String features(String image, String text) {
        return "{\"features\":{\"image\":" + image + ",\"text\":" + text + "}}";
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        String json = "application/json";
        String ok = goodEvent("e-ok");
        String t = "\"2025-01-02T00:00:00Z\"";
        String u = "\"u1\"";
        String i = "\"" + GOOD_ITEM + "\"";
        String e = "\"e1\"";
        // ---- POST /interactions: body shape and syntax
        Map<String, String> interactions = new LinkedHashMap<>();
        interactions.put("unclosed JSON", "[{");
        interactions.put("empty body", "");
        interactions.put("null body", "null");
        interactions.put("object instead of array", ok);
        interactions.put("empty array", "[]");
        interactions.put("null element", "[null]");
        interactions.put("string body", "\"events\"");
        interactions.put("number body", "123");
        interactions.put("array of numbers", "[1,2]");
        interactions.put("array of arrays", "[[" + ok + "]]");
        interactions.put("numeric userId", "[" + event("42", i, t, e) + "]");
        interactions.put("numeric itemId", "[" + event(u, "7", t, e) + "]");
        interactions.put("numeric eventId", "[" + event(u, i, t, "9") + "]");
        interactions.put("float userId", "[" + event("4.2", i, t, e) + "]");
        interactions.put("boolean userId", "[" + event("true", i, t, e) + "]");
        interactions.put("object userId", "[" + event("{\"id\":\"u1\"}", i, t, e) + "]");
        interactions.put("array userId", "[" + event("[\"u1\"]", i, t, e) + "]");
        interactions.put("null userId", "[" + event("null", i, t, e) + "]");
        interactions.put("null itemId", "[" + event(u, "null", t, e) + "]");
        interactions.put("null timestamp", "[" + event(u, i, "null", e) + "]");
        interactions.put("null eventId", "[" + event(u, i, t, "null") + "]");
        interactions.put("missing userId", "[{\"itemId\":" + i + ",\"timestamp\":" + t + ",\"eventId\":" + e + "}]");
        interactions.put("missing itemId", "[{\"userId\":" + u + ",\"timestamp\":" + t + ",\"eventId\":" + e + "}]");
        interactions.put("missing timestamp", "[{\"userId\":" + u + ",\"itemId\":" + i + ",\"eventId\":" + e + "}]");
        interactions.put("missing eventId", "[{\"userId\":" + u + ",\"itemId\":" + i + ",\"timestamp\":" + t + "}]");
        interactions.put("epoch-seconds timestamp", "[" + event(u, i, "1735689600", e) + "]");
        interactions.put("epoch-millis timestamp", "[" + event(u, i, "1735689600000", e) + "]");
        interactions.put("fractional epoch timestamp", "[" + event(u, i, "1735689600.5", e) + "]");
        interactions.put("epoch timestamp as string", "[" + event(u, i, "\"1735689600\"", e) + "]");
        interactions.put("date-only timestamp", "[" + event(u, i, "\"2025-01-02\"", e) + "]");
        interactions.put("timestamp without zone", "[" + event(u, i, "\"2025-01-02T00:00:00\"", e) + "]");
        interactions.put("timestamp with space", "[" + event(u, i, "\"2025-01-02 00:00:00Z\"", e) + "]");
        interactions.put("word timestamp", "[" + event(u, i, "\"yesterday\"", e) + "]");
        interactions.put("empty timestamp", "[" + event(u, i, "\"\"", e) + "]");
        interactions.put("month 13 timestamp", "[" + event(u, i, "\"2025-13-01T00:00:00Z\"", e) + "]");
        interactions.put("timestamp before 1970", "[" + event(u, i, "\"1969-12-31T23:59:59Z\"", e) + "]");
        interactions.put("timestamp far in the future", "[" + event(u, i, "\"2999-01-01T00:00:00Z\"", e) + "]");
        interactions.put(
                "timestamp in year one billion", "[" + event(u, i, "\"+1000000000-01-01T00:00:00Z\"", e) + "]");
        interactions.put(
                "unknown field itemID",
                "[{\"userId\":" + u + ",\"itemID\":" + i + ",\"timestamp\":" + t + ",\"eventId\":" + e + "}]");
        interactions.put(
                "extra field rating",
                "[{\"userId\":" + u + ",\"itemId\":" + i + ",\"timestamp\":" + t + ",\"eventId\":" + e
                        + ",\"rating\":5}]");
        interactions.put(
                "duplicate key",
                "[{\"userId\":" + u + ",\"userId\":\"u2\",\"itemId\":" + i + ",\"timestamp\":" + t + ",\"eventId\":" + e
                        + "}]");
        interactions.put("trailing garbage", "[" + ok + "] x");
        interactions.put("two documents", "[" + ok + "][" + ok + "]");
        interactions.put(
                "NaN value", "[{\"userId\":NaN,\"itemId\":" + i + ",\"timestamp\":" + t + ",\"eventId\":" + e + "}]");
        interactions.put("single-quoted strings", "[{'userId':'u1','itemId':'i','timestamp':'t','eventId':'e'}]");
        interactions.put("comment in JSON", "[/* c */" + ok + "]");
        interactions.put("trailing comma", "[" + ok + ",]");
        interactions.put("unquoted key", "[{userId:" + u + "}]");
        interactions.put("empty userId", "[" + event("\"\"", i, t, e) + "]");
        interactions.put("userId of 129 characters", "[" + event("\"" + "u".repeat(129) + "\"", i, t, e) + "]");
        interactions.put("userId with a space", "[" + event("\"a b\"", i, t, e) + "]");
        interactions.put("userId with a slash", "[" + event("\"../etc\"", i, t, e) + "]");
        interactions.put("userId with markup", "[" + event("\"<script>\"", i, t, e) + "]");
        interactions.put("userId with non-ASCII", "[" + event("\"\u00fcser\"", i, t, e) + "]");
        interactions.put("userId with a NUL escape", "[" + event("\"a\\u0000b\"", i, t, e) + "]");
        interactions.put("eventId of 129 characters", "[" + event(u, i, t, "\"" + "e".repeat(129) + "\"") + "]");
        interactions.put("itemId with a space", "[" + event(u, "\"x y\"", t, e) + "]");
        interactions.put("good event then a numeric userId", "[" + ok + "," + event("42", i, t, e) + "]");
        interactions.put("good event then a bad timestamp", "[" + ok + "," + event(u, i, "\"soon\"", e) + "]");
        interactions.put("10,001 events", "[" + String.join(",", Collections.nCopies(10_001, ok)) + "]");
        interactions.put("nesting 5,000 deep", "[".repeat(5000) + "]".repeat(5000));
        interactions.put("huge exponent", "[{\"userId\":1e999999999}]");
        interactions.put(
                "string of a million characters", "[" + event("\"" + "a".repeat(1_000_000) + "\"", i, t, e) + "]");
        interactions.forEach((name, body) ->
                c.add(new Case("POST /interactions: " + name, "POST", "/interactions", body, json, CLIENT, 400)));
        c.add(new Case(
                "POST /interactions: unknown item (422)",
                "POST",
                "/interactions",
                "[" + event(u, "\"no-such-item\"", t, e) + "]",
                json,
                CLIENT,
                422));
        c.add(new Case(
                "POST /interactions: good event then an unknown item (422)",
                "POST",
                "/interactions",
                "[" + ok + "," + event(u, "\"no-such-item\"", t, "\"e2\"") + "]",
                json,
                CLIENT,
                422));
        c.add(new Case(
                "POST /interactions: text/plain", "POST", "/interactions", "[" + ok + "]", "text/plain", CLIENT, 415));
        c.add(new Case(
                "POST /interactions: XML", "POST", "/interactions", "<events/>", "application/xml", CLIENT, 415));
        c.add(new Case(
                "POST /interactions: form",
                "POST",
                "/interactions",
                "userId=u1",
                "application/x-www-form-urlencoded",
                CLIENT,
                415));
        c.add(new Case(
                "POST /interactions: no content type", "POST", "/interactions", "[" + ok + "]", null, CLIENT, 415));
        c.add(new Case("POST /interactions: no key", "POST", "/interactions", "[" + ok + "]", json, null, 401));
        c.add(new Case("POST /interactions: wrong key", "POST", "/interactions", "[" + ok + "]", json, "nope", 401));
        c.add(new Case("GET /interactions", "GET", "/interactions", null, null, CLIENT, 405));
        c.add(new Case("PUT /interactions", "PUT", "/interactions", "[" + ok + "]", json, CLIENT, 405));
        c.add(new Case("DELETE /interactions", "DELETE", "/interactions", null, null, CLIENT, 405));

        // ---- GET /recommend/{userId}
        for (String k : List.of("0", "-1", "501", "abc", "1.5", "99999999999", "1e2", "%00")) {
            c.add(new Case("GET /recommend k=" + k, "GET", "/recommend/u1?k=" + k, null, null, CLIENT, 400));
        }
        c.add(new Case("GET /recommend: id with a space", "GET", "/recommend/a%20b", null, null, CLIENT, 400));
        c.add(new Case(
                "GET /recommend: id of 129 characters",
                "GET",
                "/recommend/" + "u".repeat(129),
                null,
                null,
                CLIENT,
                400));
        c.add(new Case("GET /recommend: non-ASCII id", "GET", "/recommend/%C3%BC", null, null, CLIENT, 400));
        c.add(new Case("GET /recommend: id with a quote", "GET", "/recommend/a%22b", null, null, CLIENT, 400));
        c.add(new Case("GET /recommend: no id", "GET", "/recommend/", null, null, CLIENT, 404));
        c.add(new Case("GET /recommend: extra segment", "GET", "/recommend/u1/more", null, null, CLIENT, 404));
        c.add(new Case("POST /recommend/u1", "POST", "/recommend/u1", "{}", json, CLIENT, 405));
        c.add(new Case("DELETE /recommend/u1", "DELETE", "/recommend/u1", null, null, CLIENT, 405));
        c.add(new Case("GET /recommend: no key", "GET", "/recommend/u1", null, null, null, 401));
        c.add(new Case("GET /recommend: wrong key", "GET", "/recommend/u1", null, null, "wrong", 401));
        c.add(new Case("GET /recommend: empty key", "GET", "/recommend/u1", null, null, "", 401));

        // ---- GET /items/{itemId}/similar
        for (String k : List.of("0", "501", "x", "-5")) {
            c.add(new Case(
                    "GET /items/similar k=" + k,
                    "GET",
                    "/items/" + GOOD_ITEM + "/similar?k=" + k,
                    null,
                    null,
                    CLIENT,
                    400));
        }
        c.add(new Case(
                "GET /items/similar: unknown item", "GET", "/items/no-such-item/similar", null, null, CLIENT, 404));
        c.add(new Case("GET /items/similar: id with a space", "GET", "/items/a%20b/similar", null, null, CLIENT, 400));
        c.add(new Case("GET /items/similar: no key", "GET", "/items/" + GOOD_ITEM + "/similar", null, null, null, 401));
        c.add(new Case("GET /items/{id}: unknown item", "GET", "/items/no-such-item", null, null, CLIENT, 404));
        c.add(new Case("GET /items/{id}: id with a space", "GET", "/items/a%20b", null, null, CLIENT, 400));
        c.add(new Case(
                "GET /items/{id}: features=maybe",
                "GET",
                "/items/" + GOOD_ITEM + "?features=maybe",
                null,
                null,
                CLIENT,
                400));
        c.add(new Case("GET /items/{id}: no key", "GET", "/items/" + GOOD_ITEM, null, null, null, 401));
        for (String q : List.of("category=", "category=a,,b", "category=a%0Ab", "exclude=a%20b", "exclude=ok,bad!")) {
            c.add(new Case("GET /recommend " + q, "GET", "/recommend/u1?" + q, null, null, CLIENT, 400));
            c.add(new Case(
                    "GET /items/similar " + q,
                    "GET",
                    "/items/" + GOOD_ITEM + "/similar?" + q,
                    null,
                    null,
                    CLIENT,
                    400));
        }

        // ---- PUT /items/{itemId} (admin)
        String goodFeatures = features(image(32, "0.5"), image(24, "0.5"));
        c.add(new Case("PUT /items: no key", "PUT", "/items/new-1", goodFeatures, json, null, 401));
        c.add(new Case("PUT /items: wrong key", "PUT", "/items/new-1", goodFeatures, json, "wrong", 401));
        c.add(new Case("PUT /items: client key", "PUT", "/items/new-1", goodFeatures, json, CLIENT, 403));
        Map<String, String> items = new LinkedHashMap<>();
        items.put("empty object", "{}");
        items.put("null features", "{\"features\":null}");
        items.put("features as array", "{\"features\":[1,2]}");
        items.put("features as string", "{\"features\":\"x\"}");
        // (a missing modality is imputed from the item's neighbours: not an error, see ShopCatalogueTest)
        String oneModality = "\"features\":{\"image\":" + image(32, "0.5") + "}";
        items.put("categories as a string", "{\"categories\":\"shoes\"," + oneModality + "}");
        items.put("category with a comma", "{\"categories\":[\"a,b\"]," + oneModality + "}");
        items.put("empty category", "{\"categories\":[\"\"]," + oneModality + "}");
        items.put("null category", "{\"categories\":[null]," + oneModality + "}");
        items.put("numeric category", "{\"categories\":[5]," + oneModality + "}");
        items.put("category of 65 characters", "{\"categories\":[\"" + "c".repeat(65) + "\"]," + oneModality + "}");
        items.put("available as string", "{\"available\":\"maybe\"," + oneModality + "}");
        items.put("available as number", "{\"available\":1," + oneModality + "}");
        items.put("title as array", "{\"title\":[\"x\"]," + oneModality + "}");
        items.put("text as object", "{\"text\":{}," + oneModality + "}");
        items.put("itemId differs from the path", "{\"itemId\":\"other\"," + oneModality + "}");
        items.put("metadata without any modality", "{\"title\":\"only a title\"}");
        items.put(
                "unknown modality",
                "{\"features\":{\"image\":" + image(32, "0.5") + ",\"text\":" + image(24, "0.5") + ",\"audio\":[1]}}");
        items.put("wrong dimension", features(image(31, "0.5"), image(24, "0.5")));
        items.put("empty vector", features("[]", image(24, "0.5")));
        items.put("string values", features(image(32, "\"0.5\""), image(24, "0.5")));
        items.put("null value", features("[null" + ",0.5".repeat(31) + "]", image(24, "0.5")));
        items.put("boolean value", features("[true" + ",0.5".repeat(31) + "]", image(24, "0.5")));
        items.put("NaN token", features("[NaN" + ",0.5".repeat(31) + "]", image(24, "0.5")));
        items.put("Infinity token", features("[Infinity" + ",0.5".repeat(31) + "]", image(24, "0.5")));
        items.put("value beyond float", features("[1e39" + ",0.5".repeat(31) + "]", image(24, "0.5")));
        items.put("vector as number", features("0.5", image(24, "0.5")));
        items.put("nested vector", features("[" + image(32, "0.5") + "]", image(24, "0.5")));
        items.put(
                "unknown top-level field",
                "{\"features\":{\"image\":" + image(32, "0.5") + ",\"text\":" + image(24, "0.5") + "},\"name\":\"x\"}");
        items.put("malformed JSON", "{\"features\":");
        items.put("array body", "[]");
        items.forEach(
                (name, body) -> c.add(new Case("PUT /items: " + name, "PUT", "/items/new-1", body, json, ADMIN, 400)));
        c.add(new Case("PUT /items: id with a space", "PUT", "/items/a%20b", goodFeatures, json, ADMIN, 400));
        c.add(new Case(
                "PUT /items: id of 129 characters",
                "PUT",
                "/items/" + "i".repeat(129),
                goodFeatures,
                json,
                ADMIN,
                400));
        c.add(new Case("PUT /items: text/plain", "PUT", "/items/new-1", goodFeatures, "text/plain", ADMIN, 415));
        c.add(new Case("PUT /items: no body", "PUT", "/items/new-1", null, null, ADMIN, 400));
        c.add(new Case("PUT /items: empty JSON body", "PUT", "/items/new-1", "", json, ADMIN, 400));

        // ---- PATCH / DELETE /items/{itemId}, POST /items/batch (admin)
        c.add(new Case(
                "PATCH /items: no key", "PATCH", "/items/" + GOOD_ITEM, "{\"available\":false}", json, null, 401));
        c.add(new Case(
                "PATCH /items: client key",
                "PATCH",
                "/items/" + GOOD_ITEM,
                "{\"available\":false}",
                json,
                CLIENT,
                403));
        Map<String, String> patches = new LinkedHashMap<>();
        patches.put("empty object", "{}");
        patches.put("available as string", "{\"available\":\"no\"}");
        patches.put("categories as a string", "{\"categories\":\"x\"}");
        patches.put("category with a comma", "{\"categories\":[\"a,b\"]}");
        patches.put("features (not metadata)", "{\"features\":{}}");
        patches.put("unknown field", "{\"stock\":3}");
        patches.forEach((name, body) ->
                c.add(new Case("PATCH /items: " + name, "PATCH", "/items/" + GOOD_ITEM, body, json, ADMIN, 400)));
        c.add(new Case(
                "PATCH /items: unknown item",
                "PATCH",
                "/items/no-such-item",
                "{\"available\":false}",
                json,
                ADMIN,
                404));
        c.add(new Case("DELETE /items: no key", "DELETE", "/items/" + GOOD_ITEM, null, null, null, 401));
        c.add(new Case("DELETE /items: client key", "DELETE", "/items/" + GOOD_ITEM, null, null, CLIENT, 403));
        c.add(new Case("DELETE /items: unknown item", "DELETE", "/items/no-such-item", null, null, ADMIN, 404));
        String batchItem = "{\"itemId\":\"b-1\"," + oneModality + "}";
        Map<String, String> batches = new LinkedHashMap<>();
        batches.put("empty array", "[]");
        batches.put("object body", batchItem);
        batches.put("1,001 items", "[" + String.join(",", Collections.nCopies(1001, batchItem)) + "]");
        batches.put("an item without itemId", "[" + batchItem + ",{" + oneModality + "}]");
        batches.put(
                "a good item then a bad one", "[" + batchItem + ",{\"itemId\":\"b-2\",\"features\":{\"image\":[1]}}]");
        batches.put("the same itemId twice", "[" + batchItem + "," + batchItem + "]");
        batches.forEach((name, body) ->
                c.add(new Case("POST /items/batch: " + name, "POST", "/items/batch", body, json, ADMIN, 400)));
        c.add(new Case(
                "POST /items/batch: client key", "POST", "/items/batch", "[" + batchItem + "]", json, CLIENT, 403));

        // ---- POST /recommend (sessions), DELETE /users/{userId} (admin)
        Map<String, String> sessions = new LinkedHashMap<>();
        sessions.put("empty object", "{}");
        sessions.put("no recent items", "{\"recentItems\":[]}");
        sessions.put("recentItems as string", "{\"recentItems\":\"" + GOOD_ITEM + "\"}");
        sessions.put("bad item id", "{\"recentItems\":[\"a b\"]}");
        sessions.put("k zero", "{\"recentItems\":[\"" + GOOD_ITEM + "\"],\"k\":0}");
        sessions.put("category with a comma", "{\"recentItems\":[\"" + GOOD_ITEM + "\"],\"category\":[\"a,b\"]}");
        sessions.forEach((name, body) ->
                c.add(new Case("POST /recommend: " + name, "POST", "/recommend", body, json, CLIENT, 400)));
        c.add(new Case(
                "POST /recommend: unknown item (422)",
                "POST",
                "/recommend",
                "{\"recentItems\":[\"no-such-item\"]}",
                json,
                CLIENT,
                422));
        c.add(new Case("DELETE /users: no key", "DELETE", "/users/u1", null, null, null, 401));
        c.add(new Case("DELETE /users: client key", "DELETE", "/users/u1", null, null, CLIENT, 403));
        c.add(new Case("DELETE /users: id with a space", "DELETE", "/users/a%20b", null, null, ADMIN, 400));
        c.add(new Case(
                "POST /interactions: unknown event type",
                "POST",
                "/interactions",
                "[{\"userId\":\"u1\",\"itemId\":\"" + GOOD_ITEM
                        + "\",\"timestamp\":\"2025-01-01T00:00:00Z\",\"eventId\":\"t1\",\"type\":\"wishlist\"}]",
                json,
                CLIENT,
                400));
        c.add(new Case(
                "POST /interactions: numeric event type",
                "POST",
                "/interactions",
                "[{\"userId\":\"u1\",\"itemId\":\"" + GOOD_ITEM
                        + "\",\"timestamp\":\"2025-01-01T00:00:00Z\",\"eventId\":\"t1\",\"type\":3}]",
                json,
                CLIENT,
                400));

        // ---- /retrain (admin writes, client reads)
        c.add(new Case("POST /retrain: no key", "POST", "/retrain", "{}", json, null, 401));
        c.add(new Case("POST /retrain: wrong key", "POST", "/retrain", "{}", json, "wrong", 401));
        c.add(new Case("POST /retrain: client key", "POST", "/retrain", "{}", json, CLIENT, 403));
        Map<String, String> retrain = new LinkedHashMap<>();
        retrain.put("unknown field", "{\"epochs\":3}");
        retrain.put("maxEpochs as string", "{\"maxEpochs\":\"ten\"}");
        retrain.put("maxEpochs zero", "{\"maxEpochs\":0}");
        retrain.put("maxEpochs negative", "{\"maxEpochs\":-1}");
        retrain.put("maxEpochs fractional", "{\"maxEpochs\":2.5}");
        retrain.put("unknown model", "{\"model\":\"no-such-model\"}");
        retrain.put("model as number", "{\"model\":5}");
        retrain.put("negative mmdWeight", "{\"mmdWeight\":-1}");
        retrain.put("zero mmdBandwidth", "{\"mmdBandwidth\":0}");
        retrain.put("force as string", "{\"force\":\"yes\"}");
        retrain.put("params as array", "{\"params\":[1]}");
        retrain.put("unknown parameter", "{\"params\":{\"noSuchParameter\":1}}");
        retrain.put("nested parameter value", "{\"params\":{\"learningRate\":{\"x\":1}}}");
        retrain.put("array body", "[]");
        retrain.put("string body", "\"go\"");
        retrain.put("malformed JSON", "{\"maxEpochs\":");
        retrain.put("duplicate key", "{\"maxEpochs\":1,\"maxEpochs\":2}");
        retrain.forEach(
                (name, body) -> c.add(new Case("POST /retrain: " + name, "POST", "/retrain", body, json, ADMIN, 400)));
        c.add(new Case("POST /retrain: text/plain", "POST", "/retrain", "{}", "text/plain", ADMIN, 415));
        c.add(new Case(
                "GET /retrain/{id}: no key",
                "GET",
                "/retrain/6f1c0e4e-0000-4000-8000-000000000000",
                null,
                null,
                null,
                401));
        c.add(new Case(
                "GET /retrain/{id}: unknown job",
                "GET",
                "/retrain/6f1c0e4e-0000-4000-8000-000000000000",
                null,
                null,
                CLIENT,
                404));
        c.add(new Case("GET /retrain/{id}: not a UUID", "GET", "/retrain/not-a-uuid", null, null, CLIENT, 404));
        c.add(new Case(
                "DELETE /retrain/{id}: unknown job",
                "DELETE",
                "/retrain/6f1c0e4e-0000-4000-8000-000000000000",
                null,
                null,
                ADMIN,
                404));
        c.add(new Case(
                "DELETE /retrain/{id}: client key",
                "DELETE",
                "/retrain/6f1c0e4e-0000-4000-8000-000000000000",
                null,
                null,
                CLIENT,
                403));
        c.add(new Case("GET /retrain", "GET", "/retrain", null, null, CLIENT, 405));
        c.add(new Case("PUT /retrain", "PUT", "/retrain", "{}", json, ADMIN, 405));

        // ---- /models (client reads, admin writes)
        c.add(new Case("GET /models: no key", "GET", "/models", null, null, null, 401));
        c.add(new Case("GET /models/{v}: no key", "GET", "/models/1", null, null, null, 401));
        c.add(new Case("GET /models/{v}: wrong key", "GET", "/models/1", null, null, "wrong", 401));
        for (String v : List.of("abc", "99999", "-1", "1e3", "1.0", "99999999999999999999")) {
            c.add(new Case("GET /models/" + v, "GET", "/models/" + v, null, null, CLIENT, 404));
        }
        c.add(new Case("POST /models/{v}/activate: no key", "POST", "/models/1/activate", null, null, null, 401));
        c.add(new Case("POST /models/{v}/activate: client key", "POST", "/models/1/activate", null, null, CLIENT, 403));
        c.add(new Case("POST /models/abc/activate", "POST", "/models/abc/activate", null, null, ADMIN, 404));
        c.add(new Case("POST /models/99999/activate", "POST", "/models/99999/activate", null, null, ADMIN, 404));
        c.add(new Case("DELETE /models/1", "DELETE", "/models/1", null, null, ADMIN, 405));
        c.add(new Case("PUT /models", "PUT", "/models", "{}", json, ADMIN, 405));

        // ---- not API routes
        c.add(new Case("GET /error", "GET", "/error", null, null, null, 404));
        c.add(new Case("POST /error", "POST", "/error", "{}", json, null, 404));
        c.add(new Case("DELETE /error", "DELETE", "/error", null, null, null, 404));
        c.add(new Case("GET unknown route", "GET", "/no/such/route", null, null, null, 404));
        c.add(new Case("GET unknown actuator endpoint", "GET", "/actuator/nothing", null, null, null, 404));
        c.add(new Case("GET /actuator/env (not exposed)", "GET", "/actuator/env", null, null, null, 404));
        c.add(new Case("GET root", "GET", "/", null, null, null, 404));
        return c.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithAProblemAndNothingStored(Case c) {
        TestHttp http = new TestHttp(port);
        if (c.key() != null) {
            http = http.withApiKey(c.key());
        }
        TestHttp.Response response = http.send(c.method(), c.path(), c.body(), c.contentType());
        assertProblem(response, c.status());
        assertThat(counts()).as("tables after " + c.name()).isEqualTo(before);
    }

    /** Training parameters outside their ranges, as params and as shorthands: the key named, no job queued. */
    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of("{\"params\": {\"learning_rate\": -1}}", "learning_rate"),
                Arguments.of("{\"params\": {\"learning_rate\": 0}}", "learning_rate"),
                Arguments.of("{\"params\": {\"learning_rate\": 1.5}}", "learning_rate"),
                Arguments.of("{\"params\": {\"batch_size\": 0}}", "batch_size"),
                Arguments.of("{\"params\": {\"embedding_size\": 100000}}", "embedding_size"),
                Arguments.of("{\"params\": {\"layers\": 9}}", "layers"),
                Arguments.of("{\"params\": {\"knn_k\": 0}}", "knn_k"),
                Arguments.of("{\"params\": {\"dropout\": 1}}", "dropout"),
                Arguments.of("{\"params\": {\"cl_weight\": -0.1}}", "cl_weight"),
                Arguments.of("{\"params\": {\"patience\": -1}}", "patience"),
                Arguments.of("{\"model\": \"lightgcn\", \"params\": {\"reg_weight\": -1e-4}}", "reg_weight"),
                Arguments.of("{\"maxEpochs\": 20000}", "maxEpochs"),
                Arguments.of("{\"mmdWeight\": -1}", "mmdWeight"),
                Arguments.of("{\"mmdBandwidth\": 0}", "mmdBandwidth"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRange")
    void parametersOutOfRangeAreRefusedNamingTheKey(String body, String key) {
        TestHttp.Response response =
                new TestHttp(port).withApiKey(ADMIN).send("POST", "/retrain", body, "application/json");
        assertProblem(response, 400);
        assertThat(response.json().path("detail").asString())
                .as(response.toString())
                .contains(key);
        assertThat(counts()).as("tables after " + body).isEqualTo(before);
    }

    /** Requests Tomcat itself rejects before any servlet, or the firewall of the security chain. */
    static Stream<Arguments> containerCases() {
        return Stream.of(
                Arguments.of(
                        "encoded traversal %2e%2e%2f",
                        "GET /%2e%2e%2f%2e%2e%2fetc/passwd HTTP/1.1\r\nHost: a\r\nConnection: close", 400),
                Arguments.of(
                        "encoded slash ..%2F",
                        "GET /recommend/..%2F..%2Fetc HTTP/1.1\r\nHost: a\r\nConnection: close", 400),
                Arguments.of("encoded NUL", "GET /recommend/a%00b HTTP/1.1\r\nHost: a\r\nConnection: close", 400),
                Arguments.of("invalid escape %zz", "GET /recommend/%zz HTTP/1.1\r\nHost: a\r\nConnection: close", 400),
                Arguments.of("encoded backslash", "GET /recommend/a%5Cb HTTP/1.1\r\nHost: a\r\nConnection: close", 400),
                Arguments.of("raw brace", "GET /recommend/{x} HTTP/1.1\r\nHost: a\r\nConnection: close", 400),
                Arguments.of("raw traversal", "GET /../../etc/passwd HTTP/1.1\r\nHost: a\r\nConnection: close", 400),
                Arguments.of("raw space in target", "GET /recommend/a b HTTP/1.1\r\nHost: a\r\nConnection: close", 400),
                Arguments.of(
                        "URI over 8 KB",
                        "GET /recommend/" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\nConnection: close",
                        400),
                Arguments.of("missing Host header", "GET /recommend/u1 HTTP/1.1\r\nConnection: close", 400),
                Arguments.of(
                        "two Host headers",
                        "GET /recommend/u1 HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close",
                        400),
                Arguments.of(
                        "header over 8 KB",
                        "GET /recommend/u1 HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(9000) + "\r\nConnection: close",
                        400),
                Arguments.of("invalid method token", "G(T /recommend/u1 HTTP/1.1\r\nHost: a\r\nConnection: close", 400),
                Arguments.of("unknown HTTP version", "GET /recommend/u1 HTTP/9.9\r\nHost: a\r\nConnection: close", 505),
                Arguments.of(
                        "encoded semicolon path parameter",
                        "GET /recommend/u1;jsessionid=x HTTP/1.1\r\nHost: a\r\nConnection: close",
                        400),
                Arguments.of("double slash", "GET //recommend/u1 HTTP/1.1\r\nHost: a\r\nConnection: close", 400),
                Arguments.of(
                        "header with a bad name",
                        "GET /recommend/u1 HTTP/1.1\r\nHost: a\r\nBad Header: x\r\nConnection: close",
                        400));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containerCases")
    void containerLevelRejectionsAreProblemsToo(String name, String head, int status) {
        RawHttp.Answer answer = RawHttp.send(port, head, null);
        assertProblem(answer.asResponse(), status);
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() {
        // the head announces 50 MB; only 1 KB follows: the answer comes without the rest being sent
        long started = System.nanoTime();
        RawHttp.Answer announced = RawHttp.send(
                port,
                "POST /interactions HTTP/1.1\r\nHost: a\r\nX-API-Key: " + CLIENT
                        + "\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\nConnection: close",
                "[".repeat(1024).getBytes(StandardCharsets.US_ASCII));
        assertProblem(announced.asResponse(), 413);
        assertThat(announced.asResponse().json().path("maxBytes").asLong()).isEqualTo(16L * 1024 * 1024);
        assertThat((System.nanoTime() - started) / 1e9).isLessThan(10);
    }

    @Test
    void aChunkedBodyOverTheLimitIsRefusedBeforeAnyParsing() {
        // 17 MB of JSON whitespace inside an array, sent chunked (no Content-Length)
        StringBuilder chunked = new StringBuilder();
        String mb = " ".repeat(1 << 20);
        chunked.append("1\r\n[\r\n");
        for (int k = 0; k < 17; k++) {
            chunked.append(Integer.toHexString(mb.length()))
                    .append("\r\n")
                    .append(mb)
                    .append("\r\n");
        }
        chunked.append("1\r\n]\r\n0\r\n\r\n");
        RawHttp.Answer answer = RawHttp.send(
                port,
                "POST /interactions HTTP/1.1\r\nHost: a\r\nX-API-Key: " + CLIENT
                        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close",
                chunked.toString().getBytes(StandardCharsets.US_ASCII));
        assertProblem(answer.asResponse(), 413);
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void theSameBatchWithValidEventsIsAccepted() {
        // the control case: the schema the refusals above guard is the one a client follows
        TestHttp.Response response =
                new TestHttp(port).withApiKey(CLIENT).post("/interactions", "[" + goodEvent("control-1") + "]");
        assertThat(response.status()).as(response.toString()).isEqualTo(202);
        jdbc.update("delete from interaction where event_id = 'control-1'");
        jdbc.update("delete from app_user where external_id = 'u-new'");

        // the same body chunked (no Content-Length): read within the limit, then parsed as usual
        String body = "[" + goodEvent("control-2") + "]";
        RawHttp.Answer chunked = RawHttp.send(
                port,
                "POST /interactions HTTP/1.1\r\nHost: a\r\nX-API-Key: " + CLIENT
                        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close",
                (Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        assertThat(chunked.status()).as(chunked.body()).isEqualTo(202);
        assertThat(chunked.asResponse().json().path("accepted").asInt()).isEqualTo(1);
        jdbc.update("delete from interaction where event_id = 'control-2'");
        jdbc.update("delete from app_user where external_id = 'u-new'");
    }

    static void assertProblem(TestHttp.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.contentType()).as(response.toString()).startsWith("application/problem+json");
        var json = response.json();
        assertThat(json.path("status").asInt()).as(response.toString()).isEqualTo(status);
        assertThat(json.path("type").asString()).as(response.toString()).startsWith(Problems.TYPE_PREFIX);
        assertThat(json.path("title").asString()).as(response.toString()).isNotBlank();
        assertThat(INTERNAL.matcher(response.body()).find())
                .as("internal names in " + response)
                .isFalse();
    }

    Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, jdbc.queryForObject("select count(*) from " + table, Long.class));
        }
        return counts;
    }
}
