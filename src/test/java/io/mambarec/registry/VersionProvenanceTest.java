package io.mambarec.registry;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.data.SyntheticData;
import io.mambarec.model.CodeVersion;
import io.mambarec.model.ModelArtifact;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.ModelManifest;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.runtime.DjlEnvironment;
import io.mambarec.storage.ModelVersionSource;
import io.mambarec.storage.ModelVersionStatus;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.PostgresTestDatabase;
import io.mambarec.testsupport.TestHttp;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stored version keeps its provenance in its registry row and {@code GET /models/{version}} shows
 * it; a version whose manifest has a format this build does not know is never served: activation
 * answers 409 and a replica that finds it active keeps serving what it served, with the reason.
 */
@PostgresSpringBootTest(properties = "mambarec.security.admin-api-key=" + VersionProvenanceTest.ADMIN)
class VersionProvenanceTest {

    static final String ADMIN = "provenance-admin";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Dataset DATA = SyntheticData.dataset(3);

    @Autowired
    ModelRegistry registry;

    @Autowired
    ServedModel served;

    @Autowired
    DataSource dataSource;

    @LocalServerPort
    int port;

    JdbcTemplate jdbc;
    TestHttp http;

    @BeforeEach
    void emptyRegistry() {
        DjlEnvironment.configureOffline();
        PostgresTestDatabase.truncateAll(dataSource);
        jdbc = new JdbcTemplate(dataSource);
        http = new TestHttp(port).withApiKey(ADMIN);
    }

    @Test
    void theRowAndGetModelsShowFormatSeedCodeVersionDataAndSettings() {
        long version = store(bpr(21));

        Map<String, Object> row = jdbc.queryForMap(
                "SELECT format_version, seed, code_version, data_fingerprint::text AS data, settings::text AS settings"
                        + " FROM model_version WHERE version = ?",
                version);
        assertThat(row)
                .containsEntry("format_version", ModelManifest.SINGLE_MODEL_FORMAT)
                .containsEntry("seed", 21L);
        assertThat(row.get("code_version")).isEqualTo(CodeVersion.current());

        TestHttp.Response response = http.get("/models/" + version);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        JsonNode provenance = response.json().path("provenance");
        assertThat(provenance.path("formatVersion").asInt()).isEqualTo(ModelManifest.SINGLE_MODEL_FORMAT);
        assertThat(provenance.path("seed").asLong()).isEqualTo(21);
        assertThat(provenance.path("codeVersion").asString()).isEqualTo(CodeVersion.current());
        JsonNode data = provenance.path("data");
        assertThat(data.path("users").asInt()).isEqualTo(DATA.numUsers());
        assertThat(data.path("items").asInt()).isEqualTo(DATA.numItems());
        assertThat(data.path("train").asInt()).isEqualTo(DATA.train().size());
        assertThat(data.path("valid").asInt()).isEqualTo(DATA.valid().size());
        assertThat(data.path("test").asInt()).isEqualTo(DATA.test().size());
        assertThat(data.path("trainSha256").asString()).hasSize(64);
        assertThat(data.path("sha256").asString()).hasSize(64);
        assertThat(provenance.path("settings").path("embedding_size").asInt()).isEqualTo(64);
    }

    @Test
    void aVersionOfAnUnknownFormatIsRefusedWithTheReason() {
        ModelArtifact artifact = bpr(5);
        long version = store(artifact);
        ObjectNode future = (ObjectNode) JSON.readTree(artifact.manifestJson());
        future.put("formatVersion", 99);
        jdbc.update("UPDATE model_version SET manifest = ? WHERE version = ?", JSON.writeValueAsBytes(future), version);

        TestHttp.Response refused = http.post("/models/" + version + "/activate", null);
        assertThat(refused.isProblem(409)).as(refused.toString()).isTrue();
        assertThat(refused.json().path("detail").asString())
                .contains("model version " + version + " cannot be read")
                .contains("format version is 99");
        assertThat(jdbc.queryForObject("SELECT status FROM model_version WHERE version = ?", String.class, version))
                .isEqualTo("INACTIVE");

        // marked active behind the registry's back (as by a newer release's replica): this one does not serve it
        long before = served.servedVersion();
        jdbc.update("UPDATE model_version SET status = 'ACTIVE' WHERE version = ?", version);
        served.sync();
        assertThat(served.servedVersion()).isEqualTo(before);
        assertThat(served.status().failedVersion()).isEqualTo(version);
        assertThat(served.status().failure()).contains("format version is 99");
        jdbc.update("UPDATE model_version SET status = 'INACTIVE' WHERE version = ?", version);
        served.sync();
    }

    private long store(ModelArtifact artifact) {
        return registry.store(
                new NewModelVersion(
                        artifact, new ModelMetrics(Map.of(), Map.of()), Map.of(), null, ModelVersionSource.BOOTSTRAP),
                ModelVersionStatus.INACTIVE);
    }

    private static ModelArtifact bpr(long seed) {
        ModelDefinition bpr = Models.get("bpr");
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = bpr.create(DATA, bpr.resolve(Map.of()), manager, seed)) {
            return ModelArtifact.of(model, DATA, seed);
        }
    }
}
