package io.mambarec.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.DataFingerprint;
import io.mambarec.data.Dataset;
import io.mambarec.model.mambarec.PlantedDataset;
import io.mambarec.storage.JobQueue;
import io.mambarec.storage.SearchCheckpointRepository;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.PostgresTestDatabase;
import io.mambarec.training.EpochReport;
import io.mambarec.training.TrainingCancelledException;
import io.mambarec.tuning.AutoTuner;
import io.mambarec.tuning.SearchJournal;
import io.mambarec.tuning.SearchReport;
import io.mambarec.tuning.SearchSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An {@code auto} search kept in the real PostgreSQL ({@link JobSearchStore}) and interrupted as a
 * crash would interrupt it: an attempt stops in the middle of an epoch, its lease passes and the
 * next claim resumes the search. Interrupted mid-rung, between rungs and during the survivor's run,
 * it ends with the same points, decisions, chosen point, epochs and validation/test metrics as the
 * uninterrupted search, and no completed epoch is trained twice; a resumed search has only the
 * budget its earlier attempts left. (A server process: no trainer of its own claims these jobs.)
 */
@PostgresSpringBootTest(properties = "mambarec.role=server")
class AutoSearchResumeTest {

    private static final Dataset DATA = PlantedDataset.create(5, 96, 4, 12, List.of("image", "text"), 8);
    private static final String FINGERPRINT = DataFingerprint.of(DATA);
    /** Fixed by the user, so not searched: short runs. */
    private static final Map<String, String> FIXED = Map.of("max_epochs", "8", "batch_size", "128");
    /**
     * One bracket, the hedged schedule's first (s_max = 1): the defaults' first 2 epochs measure the
     * epoch time, then 2 points to 6 epochs, the best on to max_epochs 8.
     */
    private static final SearchSettings SMALL = new SearchSettings(3, 3, 2, 1, 0.5);

    private static final Duration BUDGET = Duration.ofMinutes(60);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final long SEED = 11;

    @Autowired
    DataSource dataSource;

    @Autowired
    JobQueue queue;

    @Autowired
    SearchCheckpointRepository repository;

    private JdbcTemplate jdbc;

    @BeforeEach
    void emptyQueue() {
        jdbc = new JdbcTemplate(dataSource);
        PostgresTestDatabase.truncateAll(dataSource);
    }

    /** What a search gave, and the epochs each of its attempts trained. */
    private record Searched(
            SearchReport report,
            Map<String, Double> valid,
            Map<String, Double> test,
            Map<String, Object> params,
            List<Integer> epochsPerAttempt,
            List<String> log) {

        int epochs() {
            return epochsPerAttempt.stream().mapToInt(Integer::intValue).sum();
        }
    }

    private UUID queued() {
        UUID id = UUID.randomUUID();
        jdbc.update(
                "insert into training_job (id, status, model_name, request, max_epochs) values"
                        + " (?, 'QUEUED', 'mambarec', '{\"model\": \"mambarec\"}'::jsonb, 8)",
                id);
        return id;
    }

    /** The trainer died: its lease passes, the next trainer claims the job (the next attempt). */
    private JobQueue.Claim crashAndClaimAgain(UUID id) {
        jdbc.update("update training_job set lease_until = now() - interval '1 second' where id = ?", id);
        JobQueue.Claim claim = queue.claim("trainer-b", LEASE, 100).orElseThrow();
        // an earlier test job whose lease passed on a slow machine must not be the one claimed
        assertThat(claim.jobId()).isEqualTo(id);
        return claim;
    }

    /**
     * The job's search, each attempt stopped (between two batches, as a kill loses the epoch in
     * flight) once it has trained the next number of {@code stopsAfter} epochs; the last attempt runs
     * to the end.
     */
    private Searched search(UUID id, int... stopsAfter) {
        JobQueue.Claim claim = queue.claim("trainer-a", LEASE, 100).orElseThrow();
        assertThat(claim.jobId()).isEqualTo(id);
        List<Integer> perAttempt = new ArrayList<>();
        List<String> log = new ArrayList<>();
        for (int attempt = 0; ; attempt++) {
            int limit = attempt < stopsAfter.length ? stopsAfter[attempt] : Integer.MAX_VALUE;
            int[] epochs = {0};
            JobSearchStore store = new JobSearchStore(repository, claim, FINGERPRINT, () -> {
                throw new AssertionError("the attempt holds the job");
            });
            AutoTuner.Progress progress = new AutoTuner.Progress() {
                @Override
                public void line(String line) {
                    log.add(line);
                }

                @Override
                public void epoch(int point, EpochReport report) {
                    epochs[0]++;
                }
            };
            try (NDManager manager = NDManager.newBaseManager()) {
                AutoTuner.Result result = new AutoTuner(SMALL)
                        .tune(DATA, FIXED, SEED, BUDGET, store, () -> epochs[0] >= limit, progress, manager);
                perAttempt.add(epochs[0]);
                // the job ends (as its gate would end it), so no later claim takes it
                jdbc.update("update training_job set status = 'SUCCEEDED', finished_at = now() where id = ?", id);
                try (var model = result.model()) {
                    return new Searched(
                            result.report(),
                            result.result().valid(),
                            result.result().test(),
                            result.params().asMap(),
                            perAttempt,
                            log);
                }
            } catch (TrainingCancelledException e) {
                assertThat(epochs[0]).isEqualTo(limit);
                perAttempt.add(epochs[0]);
                claim = crashAndClaimAgain(id);
            }
        }
    }

    @Test
    void aSearchInterruptedMidRungBetweenRungsAndInTheSurvivorsRunEndsAsTheUninterruptedOne() {
        Searched uninterrupted = search(queued());
        // 2 points x 6 epochs, the survivor 6 -> 8 (its run to max_epochs)
        assertThat(uninterrupted.epochs()).isEqualTo(14);
        assertThat(uninterrupted.report().points()).hasSize(2);
        assertThat(uninterrupted.report().resumedAfterSeconds()).isZero();

        UUID id = queued();
        // stopped with point 1's second (measuring) epoch in flight, its fifth (mid-rung, after the
        // bracket's size was decided), point 2's first and sixth (mid-rung), the survivor's seventh
        // (just after the rung's decision: between rungs) and its eighth (during the survivor's run)
        Searched resumed = search(id, 1, 3, 2, 5, 1, 1);
        assertThat(resumed.epochsPerAttempt())
                .as(uninterrupted.log() + "\n" + uninterrupted.report() + "\n" + resumed.log() + "\n"
                        + resumed.report())
                .containsExactly(1, 3, 2, 5, 1, 1, 1);
        assertThat(resumed.epochs()).as("no epoch trained twice").isEqualTo(uninterrupted.epochs());
        assertThat(resumed.log()).anyMatch(line -> line.contains("(resumed)"));

        assertThat(resumed.report().points()).isEqualTo(uninterrupted.report().points());
        assertThat(resumed.report().chosenPoint())
                .isEqualTo(uninterrupted.report().chosenPoint());
        assertThat(resumed.valid()).isEqualTo(uninterrupted.valid());
        assertThat(resumed.test()).isEqualTo(uninterrupted.test());
        assertThat(resumed.params()).isEqualTo(uninterrupted.params());
        assertThat(resumed.report().budgetSpent()).isFalse();
        // the earlier attempts' time counts against the budget
        assertThat(resumed.report().resumedAfterSeconds()).isPositive();
        assertThat(resumed.report().elapsedSeconds())
                .isGreaterThan(resumed.report().resumedAfterSeconds());

        // the stopped points' checkpoints are gone; the chosen one's stays until the job ends
        assertThat(jdbc.queryForList("select point from search_checkpoint where job_id = ?", Integer.class, id))
                .containsExactly(resumed.report().chosenPoint());
        repository.delete(id);
        assertThat(jdbc.queryForObject("select count(*) from search_journal where job_id = ?", Integer.class, id))
                .isZero();
    }

    @Test
    void aResumedSearchHasOnlyTheBudgetItsEarlierAttemptsLeft() {
        UUID id = queued();
        JobQueue.Claim first = queue.claim("trainer-a", LEASE, 100).orElseThrow();
        int[] epochs = {0};
        try (NDManager manager = NDManager.newBaseManager()) {
            JobSearchStore store = new JobSearchStore(repository, first, FINGERPRINT, () -> {});
            assertThatThrownBy(() -> new AutoTuner(SMALL)
                            .tune(DATA, FIXED, SEED, BUDGET, store, () -> epochs[0] >= 2, counting(epochs), manager))
                    .isInstanceOf(TrainingCancelledException.class);
        }
        // as if the first attempt had run for the whole budget
        jdbc.update(
                "update search_journal set journal = jsonb_set(journal, '{elapsedSeconds}', '3600.0') where job_id = ?",
                id);
        JobQueue.Claim second = crashAndClaimAgain(id);
        assertThat(repository.saveJournal(first, "{}", FINGERPRINT))
                .as("the old attempt is fenced")
                .isFalse();

        int[] more = {0};
        try (NDManager manager = NDManager.newBaseManager()) {
            JobSearchStore store = new JobSearchStore(repository, second, FINGERPRINT, () -> {});
            SearchJournal journal = store.journal().orElseThrow();
            assertThat(journal.points()).hasSize(2);
            assertThat(journal.schedule()).isEqualTo("HEDGED");
            assertThat(journal.totalEpochs()).isEqualTo(2);
            AutoTuner.Result result =
                    new AutoTuner(SMALL).tune(DATA, FIXED, SEED, BUDGET, store, () -> false, counting(more), manager);
            result.model().close();
            assertThat(result.report().budgetSpent()).isTrue();
            assertThat(result.report().resumedAfterSeconds()).isEqualTo(3600.0);
            assertThat(more[0]).as("epochs trained with no budget left").isZero();
            assertThat(result.report().chosenPoint()).isEqualTo(1);
            assertThat(result.report().points().get(0).epochs()).isEqualTo(2);
        }
    }

    /** Counts the search's epochs into {@code epochs[0]}. */
    private static AutoTuner.Progress counting(int[] epochs) {
        return new AutoTuner.Progress() {
            @Override
            public void epoch(int point, EpochReport report) {
                epochs[0]++;
            }
        };
    }
}
