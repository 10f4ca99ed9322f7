package io.mambarec.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.mambarec.metrics.MetricNames;
import io.mambarec.registry.ServedModel;
import io.mambarec.serving.ActiveModel;
import io.mambarec.serving.ServingModel;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.PostgresTestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.hamcrest.CustomTypeSafeMatcher;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Retraining and the model registry through the HTTP API, on the real test PostgreSQL and a small
 * clustered catalogue (lightgcn/bpr, a few epochs): a first job trains and activates (and
 * {@code /recommend} answers with its version); a second submission while one runs is refused;
 * cancel; a diverging job fails; the quality gate rejects a worse candidate and {@code force}
 * overrides; rollback; a version with a bad checksum is refused; another replica's activation is
 * picked up by polling. Each test starts from an empty registry and trains what it needs.
 */
@PostgresSpringBootTest(
        properties = {
            "mambarec.security.admin-api-key=" + RetrainJobsTest.ADMIN_KEY,
            "mambarec.retrain.on-empty-registry=false",
            "mambarec.registry.poll-interval=200ms"
        })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetrainJobsTest {

    static final String ADMIN_KEY = "test-admin-key";
    private static final Set<String> FINAL = Set.of("SUCCEEDED", "REJECTED", "FAILED", "CANCELLED");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    ActiveModel activeModel;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ServedModel servedModel;

    private final HttpClient http = HttpClient.newHttpClient();
    private JdbcTemplate jdbc;

    @BeforeAll
    void database() {
        jdbc = new JdbcTemplate(dataSource);
    }

    @BeforeEach
    void catalogueWithoutModels() {
        PostgresTestDatabase.truncateAll(dataSource);
        // 10 groups of 20 items, 100 users with 8 items each: 6 train, 1 validation, 1 test per user
        TestCatalogue.insert(jdbc, 10, 20, 100, 8, 7);
        servedModel.sync(); // the registry is empty: this replica stops serving what an earlier test left
    }

    @Test
    void firstRetrainTrainsStoresAndActivates() throws Exception {
        double succeededBefore = succeededJobs();
        long epochsBefore = meters.get(MetricNames.TRAINING_EPOCH_TIME).timer().count();
        Map<String, Object> job = trainFirstVersion();
        String jobId = (String) job.get("jobId");
        assertThat(job)
                .containsEntry("status", "SUCCEEDED")
                .containsEntry("epoch", 8)
                .containsEntry("maxEpochs", 8)
                .containsEntry("modelVersion", 1);
        assertThat(job.get("lastLoss")).isNotNull();
        assertThat((Double) job.get("validRecall20")).isGreaterThan(0.3);
        // nothing was served before: no gate figure for the active model
        assertThat((Double) job.get("candidateRecall20")).isGreaterThan(0.3);
        assertThat(job.get("activeRecall20")).isNull();
        assertThat(job.get("startedAt")).isNotNull();
        assertThat(job.get("finishedAt")).isNotNull();

        assertThat(served().version()).isEqualTo(1);
        assertThat(served().userIds()).hasSize(100);
        assertThat(recommendation("user-3")).containsEntry("modelVersion", 1).containsEntry("strategy", "model");
        List<Map<String, Object>> models = models();
        assertThat(models).hasSize(1);
        assertThat(models.get(0))
                .containsEntry("version", 1)
                .containsEntry("status", "ACTIVE")
                .containsEntry("served", true)
                .containsEntry("source", "RETRAIN")
                .containsEntry("jobId", jobId);
        assertThat((Map<String, Object>) models.get(0).get("test")).containsKey("Recall@20");
        assertThat((String) models.get(0).get("sha256")).hasSize(64);
        assertThat(meters.get(MetricNames.ACTIVE_MODEL_VERSION).gauge().value()).isEqualTo(1.0);
        assertThat(succeededJobs()).isEqualTo(succeededBefore + 1);
        assertThat(meters.get(MetricNames.TRAINING_EPOCH_TIME).timer().count()).isEqualTo(epochsBefore + 8);
    }

    @Test
    void concurrentSubmissionsRunOneJobAndCancelStopsIt() throws Exception {
        trainFirstVersion();
        String longJob = "{\"model\": \"lightgcn\", \"maxEpochs\": 5000, \"params\": {\"patience\": 5000}}";
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Response>> answers = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            answers.add(pool.submit((Callable<Response>) () -> {
                start.await();
                return post("/retrain", longJob, ADMIN_KEY);
            }));
        }
        start.countDown();
        List<Response> responses = new ArrayList<>();
        for (Future<Response> answer : answers) {
            responses.add(answer.get());
        }
        pool.shutdown();
        assertThat(responses).extracting(Response::status).containsExactlyInAnyOrder(202, 409);
        Response accepted =
                responses.stream().filter(r -> r.status() == 202).findFirst().orElseThrow();
        Response refused =
                responses.stream().filter(r -> r.status() == 409).findFirst().orElseThrow();
        String jobId = (String) accepted.json().get("jobId");
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json()).containsEntry("status", 409).containsEntry("activeJobId", jobId);

        // progress moves while it runs
        Map<String, Object> job = awaitJob(
                jobId,
                "running, epoch 3 or later",
                j -> "RUNNING".equals(j.get("status")) && (int) j.get("epoch") >= 3);
        assertThat(job.get("heartbeatAt")).isNotNull();
        assertThat(post("/retrain", "{}", ADMIN_KEY).status()).isEqualTo(409);

        Response cancel = request("DELETE", "/retrain/" + jobId, null, ADMIN_KEY);
        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.json()).containsEntry("cancelRequested", true);
        job = awaitFinal(jobId);
        assertThat(job).containsEntry("status", "CANCELLED").containsEntry("modelVersion", null);
        assertThat((int) job.get("epoch")).isLessThan(5000);
        assertThat(served().version()).isEqualTo(1);
        assertThat(models()).hasSize(1);
        assertThat(request("DELETE", "/retrain/" + jobId, null, ADMIN_KEY).status())
                .isEqualTo(409);
    }

    @Test
    void divergingTrainingFailsAndTheActiveModelKeepsServing() throws Exception {
        trainFirstVersion();
        ServingModel before = served();
        // a regulariser weight of 1e300 is infinite in float32: the first batch loss is infinite and the
        // trainer's guard stops it
        Response accepted = post(
                "/retrain",
                "{\"model\": \"lightgcn\", \"maxEpochs\": 5, \"params\": {\"reg_weight\": 1e300}}",
                ADMIN_KEY);
        Map<String, Object> job = awaitFinal((String) accepted.json().get("jobId"));
        assertThat(job).containsEntry("status", "FAILED").containsEntry("modelVersion", null);
        assertThat((String) job.get("error")).contains("loss");
        assertThat(served()).isSameAs(before);
        assertThat(models()).hasSize(1);
    }

    @Test
    void qualityGateRejectsAWorseCandidateAndForceOverrides() throws Exception {
        trainFirstVersion();
        Map<String, Object> rejected = untrainedBpr(false);
        assertThat(rejected).containsEntry("status", "REJECTED").containsEntry("modelVersion", 2);
        double candidate = (Double) rejected.get("candidateRecall20");
        double active = (Double) rejected.get("activeRecall20");
        assertThat(candidate).isLessThan(active);
        assertThat(active).isGreaterThan(0.3);
        assertThat((String) rejected.get("error")).contains("quality gate");
        assertThat(served().version()).isEqualTo(1);
        assertThat(model(2)).containsEntry("status", "REJECTED").containsEntry("served", false);

        Map<String, Object> forced = untrainedBpr(true);
        assertThat(forced).containsEntry("status", "SUCCEEDED").containsEntry("modelVersion", 3);
        assertThat((Double) forced.get("candidateRecall20")).isLessThan((Double) forced.get("activeRecall20"));
        assertThat(served().version()).isEqualTo(3);
        assertThat(served().modelName()).isEqualTo("bpr");
        assertThat(recommendation("user-3")).containsEntry("modelVersion", 3).containsEntry("strategy", "model");
        assertThat(model(1)).containsEntry("status", "INACTIVE");
        assertThat(model(3)).containsEntry("status", "ACTIVE");
    }

    @Test
    void rollbackActivatesAStoredVersion() throws Exception {
        trainFirstVersion();
        assertThat(untrainedBpr(true)).containsEntry("modelVersion", 2);
        assertThat(served().version()).isEqualTo(2);
        assertThat(post("/models/1/activate", null, null).status()).isEqualTo(401);
        assertThat(post("/models/1/activate", null, "wrong").status()).isEqualTo(401);
        Response missing = post("/models/999/activate", null, ADMIN_KEY);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(post("/models/abc/activate", null, ADMIN_KEY).status()).isEqualTo(404);

        Response rollback = post("/models/1/activate", null, ADMIN_KEY);
        assertThat(rollback.status()).isEqualTo(200);
        assertThat(rollback.json())
                .containsEntry("version", 1)
                .containsEntry("status", "ACTIVE")
                .containsEntry("served", true);
        assertThat(served().version()).isEqualTo(1);
        assertThat(recommendation("user-3")).containsEntry("modelVersion", 1);
        assertThat(model(2)).containsEntry("status", "INACTIVE");
        assertThat(jdbc.queryForObject("select count(*) from model_version where status = 'ACTIVE'", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void aVersionFailingItsChecksumIsNeverServed() throws Exception {
        trainFirstVersion();
        assertThat(untrainedBpr(false)).containsEntry("modelVersion", 2);
        jdbc.update("update model_version set sha256 = repeat('0', 64) where version = 2");
        Response refused = post("/models/2/activate", null, ADMIN_KEY);
        assertThat(refused.status()).isEqualTo(409);
        assertThat((String) refused.json().get("detail")).contains("checksum");
        assertThat(model(2)).containsEntry("status", "REJECTED");
        assertThat(served().version()).isEqualTo(1);

        // even when marked active behind the registry's back (as by another replica), the poller refuses it:
        // five polls (200 ms) later this replica still serves version 1
        setActiveInDatabase(2);
        await("version 1 still served")
                .during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> served().version() == 1);
    }

    @Test
    void anActivationByAnotherReplicaIsServedWithinSeconds() throws Exception {
        trainFirstVersion();
        assertThat(untrainedBpr(false)).containsEntry("modelVersion", 2);
        setActiveInDatabase(2);
        await("version 2 served")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> activeModel.current().map(ServingModel::version).orElse(0L) == 2);
        assertThat(served().modelName()).isEqualTo("bpr");
        assertThat(recommendation("user-3")).containsEntry("modelVersion", 2);
    }

    @Test
    void badRequestsAreProblemDetails() throws Exception {
        for (String body : List.of(
                "{\"maxEpochs\": 0}",
                "{\"maxEpochs\": \"ten\"}",
                "{\"model\": \"nope\"}",
                "{\"maxEpoch\": 3}",
                "{\"params\": {\"no_such_param\": 1}}",
                "{\"params\": {\"patience\": 1.5}}",
                "{\"model\": \"lightgcn\", \"mmdWeight\": 0.1}",
                "{\"mmdBandwidth\": -1}",
                "{\"force\": \"yes\"}",
                "[1, 2]",
                "{not json")) {
            Response response = post("/retrain", body, ADMIN_KEY);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.contentType()).as(body).startsWith("application/problem+json");
        }
        assertThat(post("/retrain", "{}", null).status()).isEqualTo(401);
        assertThat(request("DELETE", "/retrain/" + java.util.UUID.randomUUID(), null, null)
                        .status())
                .isEqualTo(401);
        assertThat(get("/retrain/" + java.util.UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(get("/retrain/not-a-job").status()).isEqualTo(404);
        assertThat(request("DELETE", "/retrain/not-a-job", null, ADMIN_KEY).status())
                .isEqualTo(404);
        assertThat(get("/models/42").status()).isEqualTo(404);
        assertThat(jdbc.queryForObject(
                        "select count(*) from training_job where status in ('QUEUED', 'RUNNING')", Integer.class))
                .isZero();
    }

    /** Switches the ACTIVE row in one transaction, as another replica's activation does. */
    private void setActiveInDatabase(long version) {
        new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult(status -> {
            jdbc.update("update model_version set status = 'INACTIVE' where status = 'ACTIVE'");
            jdbc.update("update model_version set status = 'ACTIVE', activated_at = now() where version = ?", version);
        });
    }

    private Map<String, Object> recommendation(String user) throws Exception {
        Response response = get("/recommend/" + user + "?k=5");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private ServingModel served() {
        return activeModel.current().orElseThrow();
    }

    private List<Map<String, Object>> models() throws Exception {
        Response response = get("/models");
        assertThat(response.status()).isEqualTo(200);
        return JSON.readValue(response.body(), List.class);
    }

    private Map<String, Object> model(long version) throws Exception {
        return models().stream()
                .filter(m -> ((Number) m.get("version")).longValue() == version)
                .findFirst()
                .orElseThrow();
    }

    /** The first version: lightgcn, 8 epochs, trained and activated through the API (version 1). */
    private Map<String, Object> trainFirstVersion() throws Exception {
        Response accepted = post(
                "/retrain",
                "{\"model\": \"lightgcn\", \"maxEpochs\": 8,"
                        + " \"params\": {\"learning_rate\": 0.05, \"batch_size\": 256}}",
                ADMIN_KEY);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.json()).containsEntry("status", "QUEUED");
        String jobId = (String) accepted.json().get("jobId");
        assertThat(accepted.headers().firstValue("Location")).hasValue("/retrain/" + jobId);
        Map<String, Object> job = awaitFinal(jobId);
        assertThat(job).as("the first version's job").containsEntry("status", "SUCCEEDED");
        return job;
    }

    /**
     * A bpr candidate with learning rate 1e-9 for one epoch (it keeps its random initialisation): below
     * the gate unless forced.
     */
    private Map<String, Object> untrainedBpr(boolean force) throws Exception {
        String body = "{\"model\": \"bpr\", \"maxEpochs\": 1, \"params\": {\"learning_rate\": 1e-9}"
                + (force ? ", \"force\": true}" : "}");
        return awaitFinal((String) post("/retrain", body, ADMIN_KEY).json().get("jobId"));
    }

    private double succeededJobs() {
        return meters.get(MetricNames.JOBS_FINISHED)
                .tag("status", "SUCCEEDED")
                .counter()
                .count();
    }

    private Map<String, Object> awaitFinal(String jobId) {
        return awaitJob(jobId, "finished", j -> FINAL.contains((String) j.get("status")));
    }

    private Map<String, Object> awaitJob(String jobId, String state, Predicate<Map<String, Object>> done) {
        return await("job " + jobId + " " + state)
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> job(jobId), new CustomTypeSafeMatcher<Map<String, Object>>(state) {
                    @Override
                    protected boolean matchesSafely(Map<String, Object> job) {
                        return done.test(job);
                    }
                });
    }

    private Map<String, Object> job(String jobId) throws Exception {
        Response response = get("/retrain/" + jobId);
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    record Response(int status, String body, String contentType, java.net.http.HttpHeaders headers) {
        Map<String, Object> json() {
            return JSON.readValue(body, Map.class);
        }
    }

    private Response get(String path) throws Exception {
        return request("GET", path, null, null);
    }

    private Response post(String path, String body, String key) throws Exception {
        return request("POST", path, body, key);
    }

    private Response request(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        if (key != null) {
            builder.header("X-API-Key", key);
        }
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(
                response.statusCode(),
                response.body(),
                response.headers().firstValue("Content-Type").orElse(""),
                response.headers());
    }
}
