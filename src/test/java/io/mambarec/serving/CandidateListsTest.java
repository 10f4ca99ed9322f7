package io.mambarec.serving;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.jobs.TrainingDatasetReader;
import io.mambarec.model.Embeddings;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.model.TrainingSettings;
import io.mambarec.runtime.DjlEnvironment;
import io.mambarec.serving.Recommendation.ScoredItem;
import io.mambarec.storage.InteractionStore;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.TestHttp;
import io.mambarec.training.Trainer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The candidate lists of a LightGCN model trained on the demo catalogue in the test database give
 * every request exactly the full scan's answer (items, order and scores), whatever happened since
 * they were built, and the scan answers when they cannot. Lists of 30 unseen items per user, so
 * that k = 50 needs the scan.
 */
@PostgresSpringBootTest(
        properties = {"mambarec.security.admin-api-key=test-admin", "mambarec.serving.candidate-lists.size=30"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CandidateListsTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    ActiveModel activeModel;

    @Autowired
    Recommender recommender;

    @Autowired
    CandidateLists candidates;

    @Autowired
    InteractionStore store;

    @Autowired
    ErasedUsers erased;

    @Autowired
    TrainingDatasetReader snapshot;

    @Autowired
    MeterRegistry registry;

    @LocalServerPort
    int port;

    TestHttp http;
    TestHttp admin;
    Dataset data;
    ServingModel first;
    ServingModel second;

    @BeforeAll
    void trainTwoVersions() {
        DjlEnvironment.configureOffline();
        http = new TestHttp(port);
        admin = http.withApiKey("test-admin");
        DemoCatalogue.importFresh(context);
        data = snapshot.read("candidates");
        first = trained(1, 3);
        second = trained(2, 4);
    }

    /** Every test starts from the freshly imported catalogue with version 1 served and its lists built. */
    @BeforeEach
    void firstVersionServed() throws InterruptedException {
        DemoCatalogue.importFresh(context);
        activeModel.activate(first);
        awaitLists();
    }

    @Test
    void everyKnownUserGetsTheScansAnswerFromTheList() {
        double before = count("list");
        int requests = 0;
        for (String user : known()) {
            for (int k : new int[] {1, 7, 20}) {
                assertSameAsScan(user, k, ItemFilter.NONE);
                requests++;
            }
        }
        assertThat(known()).hasSizeGreaterThan(300);
        assertThat(count("list") - before).isEqualTo(requests);
    }

    @Test
    void newEventsDislikesStockRetirementAndExclusionsApplyToTheListsAnswer() {
        List<String> users = known().subList(0, 60);
        String viewer = users.get(0);
        String viewed = top(viewer, 1).get(0);
        post(viewer, viewed, "view");
        String disliker = users.get(1);
        String disliked = top(disliker, 1).get(0);
        post(disliker, disliked, "dislike");
        assertThat(top(viewer, 20)).doesNotContain(viewed);
        assertThat(top(disliker, 20)).doesNotContain(disliked);

        String soldOut = top(users.get(2), 1).get(0);
        assertThat(admin.send("PATCH", "/items/" + soldOut, "{\"available\": false}")
                        .status())
                .isEqualTo(200);
        String retired = top(users.get(3), 1).get(0);
        assertThat(admin.delete("/items/" + retired).status()).isEqualTo(204);

        double before = count("list");
        for (String user : users) {
            assertSameAsScan(user, 20, ItemFilter.NONE);
            List<String> best = top(user, 3);
            ItemFilter excluding = new ItemFilter(Set.of(), Set.copyOf(best));
            assertSameAsScan(user, 20, excluding);
            // over HTTP: the same items, none of the excluded
            JsonNode body = http.get("/recommend/" + user + "?k=20&exclude=" + String.join(",", best))
                    .json();
            assertThat(body.path("strategy").asString()).isEqualTo("model");
            assertThat(ids(body)).isEqualTo(ids(scan(user, 20, excluding))).doesNotContainAnyElementsOf(best);
            assertThat(ids(body)).doesNotContain(soldOut, retired);
        }
        // four requests per user: two compared with the scan, its top 3, the HTTP one
        assertThat(count("list") - before).isEqualTo(4 * users.size());
    }

    @Test
    void aKLargerThanTheListIsScannedAndACategoryFilterScansItsRows() {
        double before = count("short");
        String user = known().get(5);
        for (int k : new int[] {50, 240, 500}) {
            assertSameAsScan(user, k, ItemFilter.NONE);
        }
        assertThat(count("short") - before).isEqualTo(3);

        // a category filter never reads the lists
        String item = top(user, 1).get(0);
        assertThat(admin.send("PATCH", "/items/" + item, "{\"categories\": [\"bags\"]}")
                        .status())
                .isEqualTo(200);
        double fromLists = count("list") + count("short") + count("not-ready");
        assertSameAsScan(user, 5, new ItemFilter(Set.of("bags"), Set.of()));
        assertThat(count("list") + count("short") + count("not-ready")).isEqualTo(fromLists);
    }

    @Test
    void anErasedUserIsNeverServedFromTheirList() {
        String user = known().get(7);
        assertThat(recommender.recommend(user, 10).strategy()).isEqualTo(Recommender.MODEL);
        assertThat(admin.delete("/users/" + user).status()).isEqualTo(204);
        assertThat(recommender.recommend(user, 10).strategy()).isEqualTo(Recommender.POPULAR);
    }

    @Test
    void aVersionSwapNeverServesTheOtherVersionsLists() throws InterruptedException {
        activeModel.activate(second);
        // at once, before or while the new lists are built: the new version's exact answers
        for (String user : known()) {
            Recommendation answer = recommender.recommend(user, 10);
            assertThat(answer.modelVersion()).isEqualTo(2L);
            assertThat(answer.items()).as(user).isEqualTo(scan(user, 10, ItemFilter.NONE));
        }
        awaitLists();
        double before = count("list");
        for (String user : known()) {
            assertSameAsScan(user, 10, ItemFilter.NONE);
        }
        assertThat(count("list") - before).isEqualTo(known().size());
        // the two versions rank differently, so reading the other's lists would have shown
        long differ = known().stream()
                .filter(u -> !scanOf(first, u).equals(scanOf(second, u)))
                .count();
        assertThat(differ).isGreaterThan(data.userIds().size() / 2);
    }

    /** The model's users but the one the erasure test erased (the mask outlives the re-import). */
    private List<String> known() {
        return data.userIds().stream()
                .filter(u -> !erased.isErasedFrom(u, first))
                .toList();
    }

    private void assertSameAsScan(String user, int k, ItemFilter filter) {
        Recommendation answer = recommender.recommend(user, k, filter);
        assertThat(answer.strategy()).isEqualTo(Recommender.MODEL);
        assertThat(answer.items())
                .as("user %s, k %d, filter %s", user, k, filter)
                .isEqualTo(scan(user, k, filter));
    }

    /** The full scan over the served state, as the request path did before the lists: the reference answer. */
    private List<ScoredItem> scan(String user, int k, ItemFilter filter) {
        ServingState state = activeModel.state();
        BitSet excluded = state.excludedRows(filter);
        for (long id : store.seenItems(user).all()) {
            int row = state.itemRowOfDbId(id);
            if (row >= 0) {
                excluded.set(row);
            }
        }
        TopK.Ranked ranked =
                state.topByInnerProduct(state.userVector(state.userRow(user)), excluded, state.allowedRows(filter), k);
        List<ScoredItem> items = new ArrayList<>();
        for (int r = 0; r < ranked.indices().length; r++) {
            items.add(new ScoredItem(state.itemId(ranked.indices()[r]), ranked.scores()[r]));
        }
        return items;
    }

    /** The model's top 10 for the user (nothing excluded). */
    private List<String> scanOf(ServingModel model, String user) {
        ServingState state = ServingState.build(model, activeModel.state().catalogue(), null);
        TopK.Ranked ranked = state.topByInnerProduct(state.userVector(state.userRow(user)), new BitSet(), null, 10);
        List<String> ids = new ArrayList<>();
        for (int row : ranked.indices()) {
            ids.add(state.itemId(row));
        }
        return ids;
    }

    private List<String> top(String user, int k) {
        return ids(recommender.recommend(user, k).items());
    }

    private static List<String> ids(List<ScoredItem> items) {
        return items.stream().map(ScoredItem::itemId).toList();
    }

    private static List<String> ids(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.path("items").forEach(item -> ids.add(item.path("itemId").asString()));
        return ids;
    }

    private void post(String user, String item, String type) {
        String event = TestHttp.json(List.of(Map.of(
                "userId", user,
                "itemId", item,
                "eventId", "cl-" + user + "-" + item + "-" + type,
                "timestamp", "2026-01-01T00:00:00Z",
                "type", type)));
        assertThat(http.post("/interactions", event).status()).isEqualTo(202);
    }

    private double count(String outcome) {
        return registry.get(io.mambarec.metrics.MetricNames.RECOMMEND_CANDIDATES)
                .tag("outcome", outcome)
                .counter()
                .count();
    }

    private void awaitLists() throws InterruptedException {
        for (int i = 0; i < 600 && !candidates.ready(activeModel.state()); i++) {
            Thread.sleep(100);
        }
        assertThat(candidates.ready(activeModel.state())).as("lists built").isTrue();
    }

    private ServingModel trained(long version, long seed) {
        ModelDefinition lightgcn = Models.get("lightgcn");
        Hyperparameters hp = lightgcn.resolve(Map.of("max_epochs", "3", "batch_size", "256"));
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = lightgcn.create(data, hp, manager, seed)) {
            Embeddings embeddings = new Trainer(TrainingSettings.of(hp), seed)
                    .train(model, data)
                    .bestEmbeddings();
            return new ServingModel(version, "lightgcn", data.userIds(), data.itemIds(), embeddings, Map.of());
        }
    }
}
