package io.mambarec.api;

import static io.mambarec.testsupport.TestVectors.cosine;
import static io.mambarec.testsupport.TestVectors.floats;
import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.data.Dataset;
import io.mambarec.data.FeatureMatrix;
import io.mambarec.data.Interactions;
import io.mambarec.serving.ActiveModel;
import io.mambarec.serving.CatalogueCache;
import io.mambarec.storage.CatalogueStore;
import io.mambarec.storage.CatalogueStore.DatasetOrigin;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.PostgresTestDatabase;
import io.mambarec.testsupport.TestHttp;
import io.mambarec.text.TextEncoder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Items from text: a catalogue whose {@code text} modality is all-MiniLM-L6-v2 (384-d) of item
 * titles and whose {@code image} modality is one hot per product kind (shoes, soups, lamps). A
 * new item sent with a title only gets its text vector computed in-process and its image
 * imputed from its nearest catalogue items by text.
 */
@PostgresSpringBootTest(properties = "mambarec.security.admin-api-key=test-admin")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TextCatalogueTest {

    private static final List<List<String>> KINDS = List.of(
            List.of(
                    "Leather running shoes",
                    "Trail sneakers for hiking",
                    "Kids sport shoes",
                    "Waterproof walking boots"),
            List.of("Tomato soup with basil", "Chicken noodle soup", "Creamy mushroom soup", "Spicy lentil soup"),
            List.of("Brass desk lamp", "LED floor lamp", "Bedside reading light", "Ceiling pendant lamp"));

    @Autowired
    DataSource dataSource;

    @Autowired
    CatalogueStore store;

    @Autowired
    CatalogueCache catalogue;

    @Autowired
    ActiveModel activeModel;

    @Autowired
    TextEncoder encoder;

    @LocalServerPort
    int port;

    TestHttp admin;

    @BeforeAll
    void importTextCatalogue() {
        PostgresTestDatabase.truncateAll(dataSource);
        int n = 12;
        float[] image = new float[n * 3];
        float[] text = new float[n * TextEncoder.DIM];
        List<String> itemIds = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int kind = i / 4;
            itemIds.add("text-item-" + i);
            image[i * 3 + kind] = 2f;
            System.arraycopy(encoder.encode(KINDS.get(kind).get(i % 4)), 0, text, i * TextEncoder.DIM, TextEncoder.DIM);
        }
        Map<String, FeatureMatrix> features = new LinkedHashMap<>();
        features.put("image", new FeatureMatrix(n, 3, image));
        features.put("text", new FeatureMatrix(n, TextEncoder.DIM, text));
        Dataset data = new Dataset(
                "text-shop",
                List.of("shopper-0", "shopper-1"),
                itemIds,
                new Interactions(new int[] {0, 0, 1, 1}, new int[] {0, 1, 4, 5}),
                Interactions.empty(),
                Interactions.empty(),
                features);
        store.importIfEmpty(data, new DatasetOrigin("text-shop", true, "test", null), Instant.now());
        catalogue.refresh();
        activeModel.activate(null);
        admin = new TestHttp(port).withApiKey("test-admin");
    }

    @Test
    void aTitleOnlyItemGetsItsTextComputedAndItsImageImputedFromTextNeighbours() {
        TestHttp.Response put = admin.put(
                "/items/new-shoe",
                TestHttp.json(Map.of("title", "Lightweight running shoes", "categories", List.of("shoes"))));
        assertThat(put.status()).as(put.toString()).isEqualTo(201);
        assertThat(put.json().path("computed").toString()).isEqualTo("[\"text\"]");
        assertThat(put.json().path("imputed").toString()).isEqualTo("[\"image\"]");

        JsonNode item = admin.get("/items/new-shoe?features=true").json();
        assertThat(cosine(floats(item.path("features").path("text")), encoder.encode("Lightweight running shoes")))
                .isGreaterThan(0.9999);
        float[] imputed = floats(item.path("features").path("image"));
        assertThat(imputed[0])
                .as("image imputed from the shoes")
                .isGreaterThan(imputed[1] + 0.5f)
                .isGreaterThan(imputed[2] + 0.5f);
        assertThat(item.path("computed").toString()).isEqualTo("[\"text\"]");
        assertThat(item.path("imputed").toString()).isEqualTo("[\"image\"]");

        // nearest by features before any model: the other shoes
        List<String> similar =
                ShopEventsTest.ids(admin.get("/items/new-shoe/similar?k=4").json());
        assertThat(similar).containsExactlyInAnyOrder("text-item-0", "text-item-1", "text-item-2", "text-item-3");
    }

    @Test
    void textWinsOverTitleAndDescriptionWhichAreJoinedWithAFullStop() {
        admin.put(
                "/items/soup-a",
                TestHttp.json(Map.of(
                        "title", "Pea soup", "description", "Thick and green", "text", "green pea soup with mint")));
        assertThat(cosine(
                        floats(admin.get("/items/soup-a?features=true")
                                .json()
                                .path("features")
                                .path("text")),
                        encoder.encode("green pea soup with mint")))
                .isGreaterThan(0.9999);
        admin.put("/items/soup-b", TestHttp.json(Map.of("title", "Pea soup", "description", "Thick and green")));
        assertThat(cosine(
                        floats(admin.get("/items/soup-b?features=true")
                                .json()
                                .path("features")
                                .path("text")),
                        encoder.encode("Pea soup. Thick and green")))
                .isGreaterThan(0.9999);
        // a text vector given as such is kept as given
        float[] given = encoder.encode("something else entirely");
        admin.put("/items/soup-c", TestHttp.json(Map.of("title", "Pea soup", "features", Map.of("text", given))));
        JsonNode c = admin.get("/items/soup-c?features=true").json();
        assertThat(cosine(floats(c.path("features").path("text")), given)).isGreaterThan(0.9999);
        assertThat(c.path("computed").size()).isZero();
    }
}
