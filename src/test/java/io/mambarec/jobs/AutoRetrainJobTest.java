package io.mambarec.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mambarec.serving.ActiveModel;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.PostgresTestDatabase;
import io.mambarec.testsupport.TestHttp;
import java.time.Duration;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * {@code "model": "auto"} jobs on the real test PostgreSQL, on small catalogues with a small
 * search (3 points, eta 3, 1 epoch, one bracket: the hedged schedule's first, 2 points judged after 3
 * epochs): a job searches, reports every point and
 * activates MambaRec with the chosen settings; where no setting can beat the popularity ranking
 * the floor rejects the job and nothing is served; a request without a model is an auto job.
 */
@PostgresSpringBootTest(
        properties = {
            "mambarec.security.admin-api-key=" + AutoRetrainJobTest.ADMIN_KEY,
            "mambarec.retrain.auto.points=3",
            "mambarec.retrain.auto.min-epochs=1",
            "mambarec.retrain.auto.brackets=1"
        })
// the floor test runs first: it needs a context that has never served a model (truncating the
// tables does not unload the in-memory active model of an earlier test)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoRetrainJobTest {

    static final String ADMIN_KEY = "auto-admin-key";
    private static final Set<String> FINAL = Set.of("SUCCEEDED", "REJECTED", "FAILED", "CANCELLED");

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    ActiveModel activeModel;

    private JdbcTemplate jdbc;
    private TestHttp admin;

    @BeforeEach
    void emptyCatalogue() {
        jdbc = new JdbcTemplate(dataSource);
        PostgresTestDatabase.truncateAll(dataSource);
        admin = new TestHttp(port).withApiKey(ADMIN_KEY);
    }

    @Test
    void anAutoJobSearchesReportsEveryPointAndActivatesTheChosenMambaRec() {
        TestCatalogue.insert(jdbc, 6, 12, 72, 8, 3);
        String jobId = submit("{\"model\": \"auto\", \"budgetMinutes\": 30, \"maxEpochs\": 3,"
                + " \"params\": {\"batch_size\": 128}}");
        JsonNode job = awaitFinal(jobId);
        assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.path("model").asString()).isEqualTo("mambarec");
        JsonNode search = job.path("search");
        assertThat(search.path("method").asString()).isEqualTo("hyperband");
        assertThat(search.path("beatsPopularity").asBoolean()).isTrue();
        assertThat(search.path("points").size()).isEqualTo(2);
        int chosen = search.path("chosenPoint").asInt();
        for (JsonNode point : search.path("points")) {
            assertThat(point.path("epochs").asInt()).isBetween(1, 3);
            assertThat(point.path("validRecall20").isNumber()).isTrue();
            assertThat(point.path("settings").has("layers")).isTrue();
        }
        assertThat(search.path("points").get(chosen - 1).path("epochs").asInt()).isEqualTo(3);
        assertThat(job.path("candidateRecall20").asDouble())
                .isGreaterThan(job.path("popularRecall20").asDouble());

        assertThat(activeModel.current()).hasValueSatisfying(served -> {
            assertThat(served.modelName()).isEqualTo("mambarec");
            assertThat(served.version()).isEqualTo(job.path("modelVersion").asLong());
        });
        JsonNode version =
                admin.get("/models/" + job.path("modelVersion").asLong()).json();
        assertThat(version.toString()).contains("hyperband");
    }

    @Test
    @Order(1)
    void whenNoSettingBeatsPopularityOnValidationTheFloorRejectsTheJob() {
        TestCatalogue.insertPopularHeldOut(jdbc, 6, 12, 72, 8, 4);
        // a learning rate the search may not change and that moves nothing: every point stays random
        String jobId = submit("{\"model\": \"auto\", \"budgetMinutes\": 30, \"maxEpochs\": 2,"
                + " \"params\": {\"learning_rate\": 1e-9, \"batch_size\": 128}}");
        JsonNode job = awaitFinal(jobId);
        assertThat(job.path("status").asString()).as(job.toString()).isEqualTo("REJECTED");
        assertThat(job.path("error").asString()).contains("popularity");
        assertThat(job.path("search").path("beatsPopularity").asBoolean()).isFalse();
        assertThat(activeModel.current()).isEmpty();
        assertThat(new TestHttp(port)
                        .get("/recommend/user-3?k=5")
                        .json()
                        .path("strategy")
                        .asString())
                .isEqualTo("popular");
    }

    @Test
    void aRequestWithoutAModelIsAnAutoJobWithTheDefaultBudget() {
        TestCatalogue.insert(jdbc, 6, 12, 72, 8, 5);
        String jobId = submit("{\"maxEpochs\": 1}");
        Integer budget = jdbc.queryForObject(
                "select (request -> 'search' ->> 'budgetMinutes')::int from training_job where id = ?::uuid",
                Integer.class,
                jobId);
        assertThat(budget).isEqualTo(60);
        JsonNode cancelled = admin.delete("/retrain/" + jobId).json();
        assertThat(cancelled.path("model").asString()).isEqualTo("mambarec");
        awaitFinal(jobId);
    }

    @Test
    void aBudgetIsRefusedOutsideAutoAndOutsideItsRange() {
        for (String body : new String[] {
            "{\"model\": \"lightgcn\", \"budgetMinutes\": 5}",
            "{\"model\": \"auto\", \"budgetMinutes\": 0}",
            "{\"model\": \"auto\", \"budgetMinutes\": 100000}",
            "{\"model\": \"auto\", \"params\": {\"layers\": 12}}"
        }) {
            TestHttp.Response response = admin.post("/retrain", body);
            assertThat(response.isProblem(400)).as(body + " -> " + response).isTrue();
        }
        assertThat(jdbc.queryForObject("select count(*) from training_job", Integer.class))
                .isZero();
    }

    private String submit(String body) {
        TestHttp.Response accepted = admin.post("/retrain", body);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
        return accepted.json().path("jobId").asString();
    }

    private JsonNode awaitFinal(String jobId) {
        return await().atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> admin.get("/retrain/" + jobId).json(),
                        j -> FINAL.contains(j.path("status").asString()));
    }
}
