package io.mambarec.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * The lifecycle of real deployments, with {@code target/mambarec.jar} as separate OS processes on
 * the test PostgreSQL (small synthetic demo catalogue, short jobs, one PyTorch thread each):
 * restarts after SIGTERM and after SIGKILL, two servers and a trainer sharing jobs and versions, a
 * trainer killed mid-job that another start resumes from its checkpoint, a server killed under load.
 */
@Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
class ProcessLifecycleIT {

    /** A JVM start on a loaded 2-core build machine can take two minutes; five is the failure bound. */
    private static final Duration START = Duration.ofMinutes(5);
    /** A short LightGCN job; forced past the quality gate (the gate has tests of its own). */
    private static final String SHORT_JOB =
            "{\"model\": \"lightgcn\", \"maxEpochs\": 15, \"force\": true," + " \"params\": {\"learning_rate\": 0.01}}";
    /** A MambaRec job of a few seconds per epoch: long enough to kill its trainer mid-way. */
    private static final String SLOW_JOB = "{\"model\": \"mambarec\", \"maxEpochs\": 6, \"force\": true,"
            + " \"params\": {\"batch_size\": 96, \"patience\": 10}}";

    @Test
    void aStandaloneProcessStoppedAndStartedAgainServesTheSameVersion() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.onEmptyDatabase()) {
            ServiceProcess service = cluster.start("standalone-stop", "standalone");
            awaitReady(service);
            long version = trainAndAwait(service, service, SHORT_JOB);
            await().atMost(Duration.ofSeconds(10)).until(() -> service.servedVersion() == version);

            assertThat(service.stop()).as("exit code after SIGTERM").isIn(0, 143);
            service.restart();
            awaitReady(service);
            assertThat(service.servedVersion())
                    .as("ready means serving the active version")
                    .isEqualTo(version);
        }
    }

    @Test
    void aStandaloneProcessKilledAndStartedAgainServesTheSameVersion() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.onEmptyDatabase()) {
            ServiceProcess service = cluster.start("standalone-kill", "standalone");
            awaitReady(service);
            long version = trainAndAwait(service, service, SHORT_JOB);

            service.kill();
            service.restart();
            awaitReady(service);
            assertThat(service.servedVersion()).isEqualTo(version);
        }
    }

    @Test
    void twoServersAndATrainerShareJobsAndActivations() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.onEmptyDatabase()) {
            ServiceProcess serverA = cluster.start("server-a", "server");
            awaitReady(serverA);
            ServiceProcess serverB = cluster.start("server-b", "server");
            ServiceProcess trainer = cluster.start("trainer-1", "trainer");
            awaitReady(serverB);
            awaitReady(trainer);
            // a trainer has no REST API: its port refuses everything but actuator
            assertThat(trainer.get("/recommend/demo-user-0001").status()).isEqualTo(403);
            assertThat(trainer.get("/actuator/health/liveness").status()).isEqualTo(200);

            long first = trainAndAwait(serverA, serverA, SHORT_JOB);
            long second = trainAndAwait(serverA, serverA, SHORT_JOB.replace("0.01", "0.02"));
            JsonNode job = serverA.get("/retrain/" + lastJobOf(serverA, second)).body();
            assertThat(job.get("replica").asString())
                    .as("the job ran on the trainer")
                    .isEqualTo("trainer-1");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> serverA.servedVersion() == second && serverB.servedVersion() == second);

            assertThat(serverB.post("/models/" + first + "/activate", "").status())
                    .isEqualTo(200);
            assertThat(serverB.servedVersion()).isEqualTo(first);
            await().atMost(Duration.ofSeconds(10)).until(() -> serverA.servedVersion() == first);
        }
    }

    @Test
    void aTrainerKilledMidJobIsResumedFromItsCheckpointAndEndsAsAnUninterruptedRun() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.onEmptyDatabase()) {
            ServiceProcess serverA = cluster.start("server-a", "server");
            awaitReady(serverA);
            ServiceProcess serverB = cluster.start("server-b", "server");
            ServiceProcess trainer = cluster.start("trainer-1", "trainer");
            awaitReady(serverB);
            awaitReady(trainer);
            long previous = trainAndAwait(serverA, serverA, SHORT_JOB);
            await().atMost(Duration.ofSeconds(10)).until(() -> serverB.servedVersion() == previous);

            String jobId = submit(serverA, SLOW_JOB);
            await().atMost(START)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() ->
                            serverA.get("/retrain/" + jobId).body().get("epoch").asInt() >= 2);
            trainer.kill();
            long killedAt = System.nanoTime();
            int epochAtKill =
                    serverA.get("/retrain/" + jobId).body().get("epoch").asInt();

            // the servers keep serving the previous version while no trainer runs
            for (int k = 0; k < 10; k++) {
                assertThat(serverA.servedVersion()).isEqualTo(previous);
                assertThat(serverB.servedVersion()).isEqualTo(previous);
            }
            trainer.restart();
            await().atMost(START)
                    .until(() -> serverA.get("/retrain/" + jobId)
                                            .body()
                                            .get("attempts")
                                            .asInt()
                                    == 2
                            && "RUNNING"
                                    .equals(serverA.get("/retrain/" + jobId)
                                            .body()
                                            .get("status")
                                            .asString()));
            double secondsToResume = (System.nanoTime() - killedAt) / 1e9;
            JsonNode resumed = awaitFinished(serverA, jobId);
            assertThat(resumed.get("status").asString()).isEqualTo("SUCCEEDED");
            int resumedFrom = resumed.get("resumedFromEpoch").asInt();
            assertThat(epochAtKill - resumedFrom).as("epochs lost").isBetween(0, 1);
            System.out.printf(
                    "trainer kill -9 at epoch %d -> job running again after %.1f s, resumed from epoch %d%n",
                    epochAtKill, secondsToResume, resumedFrom);

            String uninterruptedId = submit(serverA, SLOW_JOB);
            JsonNode uninterrupted = awaitFinished(serverA, uninterruptedId);
            assertThat(uninterrupted.get("resumedFromEpoch").isNull()).isTrue();
            JsonNode resumedModel = serverA.get(
                            "/models/" + resumed.get("modelVersion").asLong())
                    .body();
            JsonNode uninterruptedModel = serverA.get(
                            "/models/" + uninterrupted.get("modelVersion").asLong())
                    .body();
            assertThat(resumedModel.get("valid")).isEqualTo(uninterruptedModel.get("valid"));
            assertThat(resumedModel.get("test")).isEqualTo(uninterruptedModel.get("test"));
            assertThat(resumed.get("candidateRecall20")).isEqualTo(uninterrupted.get("candidateRecall20"));
        }
    }

    @Test
    void aServerKilledUnderLoadLeavesTheOtherAnsweringAndComesBackOnTheActiveVersion() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.onEmptyDatabase()) {
            ServiceProcess serverA = cluster.start("server-a", "standalone");
            awaitReady(serverA);
            ServiceProcess serverB = cluster.start("server-b", "server");
            awaitReady(serverB);
            long version = trainAndAwait(serverA, serverA, SHORT_JOB);
            await().atMost(Duration.ofSeconds(10)).until(() -> serverB.servedVersion() == version);

            AtomicInteger answered = new AtomicInteger();
            AtomicLong failures = new AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean loading = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread load = new Thread(() -> {
                while (loading.get()) {
                    try {
                        if (serverB.get("/recommend/demo-user-0002?k=10").status() == 200) {
                            answered.incrementAndGet();
                        } else {
                            failures.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        failures.incrementAndGet();
                    }
                }
            });
            load.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> answered.get() > 50);
            serverA.kill();
            int before = answered.get();
            await().atMost(Duration.ofSeconds(20)).until(() -> answered.get() > before + 200);
            loading.set(false);
            load.join();
            assertThat(failures.get())
                    .as("requests to the surviving server that failed")
                    .isZero();

            serverA.restart();
            awaitReady(serverA);
            assertThat(serverA.servedVersion()).isEqualTo(version);
        }
    }

    static void awaitReady(ServiceProcess process) {
        await().atMost(START)
                .pollInterval(Duration.ofMillis(250))
                .failFast(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(process.name() + " exited:\n" + process.logTail());
                    }
                })
                .until(process::ready);
    }

    static String submit(ServiceProcess server, String body) {
        ServiceProcess.Response accepted = server.post("/retrain", body);
        assertThat(accepted.status()).as(accepted.body().toString()).isEqualTo(202);
        return accepted.body().get("jobId").asString();
    }

    /** Queues a job on {@code server}, waits for it to succeed and for {@code servedBy} to serve its version. */
    static long trainAndAwait(ServiceProcess server, ServiceProcess servedBy, String body) {
        JsonNode job = awaitFinished(server, submit(server, body));
        assertThat(job.get("status").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
        long version = job.get("modelVersion").asLong();
        await().atMost(Duration.ofSeconds(10)).until(() -> servedBy.servedVersion() == version);
        return version;
    }

    static JsonNode awaitFinished(ServiceProcess server, String jobId) {
        return await().atMost(START)
                .pollInterval(Duration.ofMillis(250))
                .until(
                        () -> server.get("/retrain/" + jobId).body(),
                        job -> job.get("finishedAt") != null
                                && !job.get("finishedAt").isNull());
    }

    private static String lastJobOf(ServiceProcess server, long version) {
        return server.get("/models/" + version).body().get("jobId").asString();
    }
}
