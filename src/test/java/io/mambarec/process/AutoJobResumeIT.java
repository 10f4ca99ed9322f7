package io.mambarec.process;

import static io.mambarec.process.ProcessLifecycleIT.awaitFinished;
import static io.mambarec.process.ProcessLifecycleIT.awaitReady;
import static io.mambarec.process.ProcessLifecycleIT.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * An {@code auto} job whose trainer is killed with SIGKILL in the middle of its search, with
 * {@code target/mambarec.jar} as separate OS processes on the test PostgreSQL (a server, a trainer,
 * small demo catalogue, a small search: 3 points, eta 3, 2 epochs, one bracket, which is the hedged
 * schedule's first: 2 points to 6 epochs, the best on to 8): the
 * restarted trainer's attempt 2 resumes the search at the point and epoch it was at, loses no
 * completed epoch, and the job SUCCEEDS with the same search and metrics as an uninterrupted job.
 */
@Timeout(value = 15, unit = java.util.concurrent.TimeUnit.MINUTES)
class AutoJobResumeIT {

    /** A JVM start on a loaded 2-core build machine can take two minutes; five is the failure bound. */
    private static final Duration START = Duration.ofMinutes(5);
    /** The defaults' 2 measuring epochs, 2 x 6 epochs, then the survivor on to 8: 14 epochs of a few seconds each. */
    private static final String AUTO_JOB = "{\"model\": \"auto\", \"budgetMinutes\": 60, \"maxEpochs\": 8,"
            + " \"force\": true, \"params\": {\"batch_size\": 96}}";

    private static final String[] SMALL_SEARCH = {
        "mambarec.retrain.auto.points=3",
        "mambarec.retrain.auto.eta=3",
        "mambarec.retrain.auto.min-epochs=2",
        "mambarec.retrain.auto.brackets=1",
        // one further run of the chosen setting (a seed ensemble's candidate): fewer than the default 6 keeps the test
        // short
        "mambarec.retrain.auto.ensemble=2"
    };
    private static final Pattern RESUMED = Pattern.compile(
            "search resumed at point (\\d+) after epoch (\\d+) \\((\\d+) epochs of (\\d+) points, ([0-9.]+) s");

    @Test
    void aTrainerKilledDuringAnAutoJobIsResumedWhereItWasAndTheJobSucceeds() throws Exception {
        try (ProcessCluster cluster = ProcessCluster.onEmptyDatabase()) {
            ServiceProcess server = cluster.start("auto-server", "server");
            awaitReady(server);
            ServiceProcess trainer = cluster.start("auto-trainer", "trainer", SMALL_SEARCH);
            awaitReady(trainer);

            String jobId = submit(server, AUTO_JOB);
            // into the defaults' first rung: the bracket's size decided, point 2 drawn
            await().atMost(START)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() ->
                            server.get("/retrain/" + jobId).body().get("epoch").asInt() >= 5);
            trainer.kill();
            long killedAt = System.nanoTime();
            int epochAtKill =
                    server.get("/retrain/" + jobId).body().get("epoch").asInt();

            trainer.restart();
            await().atMost(START).pollInterval(Duration.ofMillis(100)).until(() -> {
                JsonNode job = server.get("/retrain/" + jobId).body();
                return job.get("attempts").asInt() == 2
                        && "RUNNING".equals(job.get("status").asString())
                        && !job.get("resumedPoint").isNull();
            });
            double secondsToResume = (System.nanoTime() - killedAt) / 1e9;
            JsonNode resumed = awaitFinished(server, jobId);
            assertThat(resumed.get("status").asString()).as(resumed.toString()).isEqualTo("SUCCEEDED");
            assertThat(resumed.get("attempts").asInt()).isEqualTo(2);

            // the job row and the trainer's log name the point and epoch attempt 2 resumed
            int point = resumed.get("resumedPoint").asInt();
            int pointEpoch = resumed.get("resumedFromEpoch").asInt();
            List<String> resumeLines =
                    trainer.logLines().stream().filter(RESUMED.asPredicate()).toList();
            assertThat(resumeLines).as(trainer.logTail()).hasSize(1);
            Matcher m = RESUMED.matcher(resumeLines.get(0));
            assertThat(m.find()).isTrue();
            assertThat(Integer.parseInt(m.group(1))).isEqualTo(point);
            assertThat(Integer.parseInt(m.group(2))).isEqualTo(pointEpoch);
            int epochsKept = Integer.parseInt(m.group(3));
            assertThat(Integer.parseInt(m.group(4))).isEqualTo(2);
            assertThat(point).isBetween(1, 2);
            assertThat(pointEpoch).isPositive();
            int epochsLost = Math.max(0, epochAtKill - epochsKept);
            assertThat(epochsLost).as("completed epochs trained again").isZero();
            JsonNode search = resumed.get("search");
            assertThat(search.get("resumedAfterSeconds").asDouble()).isPositive();
            System.out.printf(
                    "auto job: trainer kill -9 at search epoch %d -> running again after %.1f s, resumed point %d"
                            + " after its epoch %d with %d epochs kept (%d lost), %.1f s of the budget counted%n",
                    epochAtKill,
                    secondsToResume,
                    point,
                    pointEpoch,
                    epochsKept,
                    epochsLost,
                    search.get("resumedAfterSeconds").asDouble());

            String uninterruptedId = submit(server, AUTO_JOB);
            JsonNode uninterrupted = awaitFinished(server, uninterruptedId);
            assertThat(uninterrupted.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(uninterrupted.get("resumedPoint").isNull()).isTrue();
            assertThat(search.get("points"))
                    .isEqualTo(uninterrupted.get("search").get("points"));
            assertThat(search.get("chosenPoint"))
                    .isEqualTo(uninterrupted.get("search").get("chosenPoint"));
            assertThat(search.get("ensemble").get("members")).hasSize(2);
            assertThat(search.get("ensemble"))
                    .isEqualTo(uninterrupted.get("search").get("ensemble"));
            assertThat(resumed.get("epoch")).isEqualTo(uninterrupted.get("epoch"));
            JsonNode resumedModel = server.get(
                            "/models/" + resumed.get("modelVersion").asLong())
                    .body();
            JsonNode uninterruptedModel = server.get(
                            "/models/" + uninterrupted.get("modelVersion").asLong())
                    .body();
            assertThat(resumedModel.get("valid")).isEqualTo(uninterruptedModel.get("valid"));
            assertThat(resumedModel.get("test")).isEqualTo(uninterruptedModel.get("test"));
            assertThat(resumed.get("candidateRecall20")).isEqualTo(uninterrupted.get("candidateRecall20"));
        }
    }
}
