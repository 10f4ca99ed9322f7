package io.mambarec.jobs;

import ai.djl.ndarray.NDManager;
import io.mambarec.config.MambaRecProperties;
import io.mambarec.data.DataFingerprint;
import io.mambarec.data.Dataset;
import io.mambarec.evaluation.RankingMetrics;
import io.mambarec.metrics.ServiceMetrics;
import io.mambarec.model.Embeddings;
import io.mambarec.model.ModelArtifact;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.registry.ModelMetrics;
import io.mambarec.registry.ModelRegistry;
import io.mambarec.registry.NewModelVersion;
import io.mambarec.role.TrainingRole;
import io.mambarec.runtime.NativeMemory;
import io.mambarec.storage.CheckpointRepository;
import io.mambarec.storage.JobQueue;
import io.mambarec.storage.ModelVersionSource;
import io.mambarec.storage.ModelVersionStatus;
import io.mambarec.storage.SearchCheckpointRepository;
import io.mambarec.storage.TrainingJobStatus;
import io.mambarec.training.CheckpointStore;
import io.mambarec.training.EpochReport;
import io.mambarec.training.TrainingCancelledException;
import io.mambarec.training.TrainingDivergedException;
import io.mambarec.training.TrainingResult;
import io.mambarec.training.TrainingRun;
import io.mambarec.tuning.AutoTuner;
import io.mambarec.tuning.SearchJournal;
import io.mambarec.tuning.SearchReport;
import io.mambarec.tuning.SearchSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * One attempt at one claimed job: the catalogue as the job's first attempt saw it -> training from
 * the job's last checkpoint (if any, on the same data) with a checkpoint after every epoch -> the
 * {@link QualityGate} -> a stored version, activated only past the gate. Until that last step
 * nothing it does reaches serving, so a failed, cancelled or killed attempt leaves the served model
 * as it was. Every write is fenced by the attempt number: an attempt that lost its lease writes nothing.
 */
@Component
@TrainingRole
class JobExecution {

    private static final Logger log = LoggerFactory.getLogger(JobExecution.class);
    private static final JsonMapper SEARCH_JSON = JsonMapper.builder().build();

    /** Why a running attempt was asked to stop. */
    private enum StopReason {
        CANCELLED,
        SHUTDOWN,
        LEASE_LOST
    }

    private final JobQueue queue;
    private final CheckpointRepository checkpoints;
    private final SearchCheckpointRepository searchCheckpoints;
    private final TrainingDatasetReader snapshot;
    private final QualityGate gate;
    private final ModelRegistry registry;
    private final ServiceMetrics metrics;
    private final SearchSettings searchSettings;

    JobExecution(
            JobQueue queue,
            CheckpointRepository checkpoints,
            SearchCheckpointRepository searchCheckpoints,
            TrainingDatasetReader snapshot,
            QualityGate gate,
            ModelRegistry registry,
            ServiceMetrics metrics,
            MambaRecProperties properties) {
        this.queue = queue;
        this.checkpoints = checkpoints;
        this.searchCheckpoints = searchCheckpoints;
        this.snapshot = snapshot;
        this.gate = gate;
        this.registry = registry;
        this.metrics = metrics;
        this.searchSettings = SearchSettings.of(properties.retrain().auto());
    }

    void run(JobQueue.Claim claim, Duration lease, int maxAttempts, BooleanSupplier shuttingDown) {
        StopSignal stop = new StopSignal(shuttingDown);
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "job-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(200, lease.toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(() -> beat(claim, lease, stop), period, period, TimeUnit.MILLISECONDS);
        metrics.trainingStarted();
        try {
            attempt(claim, stop);
        } catch (TrainingCancelledException e) {
            switch (stop.reason()) {
                case SHUTDOWN -> {
                    if (queue.release(claim)) {
                        log.info(
                                "retraining job {} stopped for shutdown; queued again, resumes from its last"
                                        + " checkpoint",
                                claim.jobId());
                    }
                }
                case LEASE_LOST ->
                    log.warn(
                            "retraining job {}: attempt {} lost its lease; another trainer holds it",
                            claim.jobId(),
                            claim.attempt());
                default -> finish(claim, TrainingJobStatus.CANCELLED, null, null, null);
            }
        } catch (TrainingDivergedException | InvalidJobException e) {
            // the same data and settings would fail again: no retry
            log.warn("retraining job {} failed: {}", claim.jobId(), e.getMessage());
            finish(claim, TrainingJobStatus.FAILED, message(e), null, null);
        } catch (Throwable e) { // NOPMD: an Error (native library, memory) fails the attempt, not the trainer
            Optional<TrainingJobStatus> now = queue.failAttempt(claim, message(e), maxAttempts);
            log.error(
                    "retraining job {} attempt {} failed ({}): {}",
                    claim.jobId(),
                    claim.attempt(),
                    now.map(s -> s == TrainingJobStatus.FAILED ? "no attempts left" : "queued again")
                            .orElse("lost"),
                    e.toString(),
                    e);
            if (now.orElse(null) == TrainingJobStatus.FAILED) {
                metrics.jobFinished(TrainingJobStatus.FAILED.name());
                deleteCheckpoints(claim);
            }
        } finally {
            heartbeat.shutdownNow();
        }
    }

    private void attempt(JobQueue.Claim claim, StopSignal stop) {
        RetrainPlan plan = RetrainPlan.fromJson(claim.request());
        long started = System.nanoTime();
        Instant snapshotTime = snapshot.databaseNow();
        Dataset data = snapshot.read("catalogue", queue.snapshotBounds(claim));
        if (data.train().size() == 0) {
            throw new InvalidJobException("the catalogue has no interactions to train on");
        }
        String fingerprint = DataFingerprint.of(data);
        // a search resumes from its journal and its points' checkpoints, a plain run from its checkpoint
        JobSearchStore searchStore = plan.search() == null
                ? null
                : new JobSearchStore(searchCheckpoints, claim, fingerprint, stop::leaseLost);
        Optional<SearchJournal> resumedSearch = searchStore == null ? Optional.empty() : searchStore.journal();
        JobCheckpoints jobCheckpoints =
                searchStore != null ? null : new JobCheckpoints(checkpoints, claim, fingerprint, stop::leaseLost);
        Integer resumedPoint = resumedSearch
                .map(SearchJournal::current)
                .filter(point -> point > 0)
                .orElse(null);
        Integer resumedEpoch = resumedSearch.isPresent()
                ? resumedSearch.get().points().stream()
                        .filter(p -> resumedPoint != null && p.number() == resumedPoint)
                        .map(SearchJournal.Point::epochs)
                        .findFirst()
                        .orElse(0)
                : jobCheckpoints == null ? null : jobCheckpoints.resumedEpoch(); // a search not yet journalled
        queue.started(claim, fingerprint, resumedEpoch, resumedPoint);
        if (resumedEpoch != null) {
            metrics.jobResumed();
        }
        log.info(
                "retraining job {} attempt {}: {} on {} users, {} items, {}/{}/{} interactions{}",
                claim.jobId(),
                claim.attempt(),
                plan.search() == null
                        ? plan.model()
                        : AutoTuner.NAME + " (" + plan.model() + ", "
                                + plan.search().budgetMinutes() + " minutes)",
                data.numUsers(),
                data.numItems(),
                data.train().size(),
                data.valid().size(),
                data.test().size(),
                resumedSearch
                        .map(j -> String.format(
                                Locale.ROOT,
                                ", search resumed at point %s after epoch %d (%d epochs of %d points, %.1f s of the"
                                        + " budget spent)",
                                resumedPoint,
                                resumedEpoch,
                                j.totalEpochs(),
                                j.points().size(),
                                j.elapsedSeconds()))
                        .orElse(resumedEpoch == null ? "" : ", resumed after epoch " + resumedEpoch));

        EpochProgress progress = new EpochProgress(claim, stop);
        try (NDManager manager = NDManager.newBaseManager()) {
            Trained trained = plan.search() == null
                    ? train(plan, data, manager, progress, stop, jobCheckpoints)
                    : search(claim, plan, data, manager, progress, stop, searchStore);
            try (RecommenderModel model = trained.model()) {
                if (stop.getAsBoolean()) {
                    throw new TrainingCancelledException("stopped after training");
                }
                List<String> erased = snapshot.erasedSince(snapshotTime, data.userIds());
                if (!erased.isEmpty()) { // no model may contain an erased user: this one is discarded
                    throw new InvalidJobException(erased.size() + " user(s) of the training data were erased while"
                            + " the job ran; the model is discarded, retrain");
                }
                // the best epoch's embeddings, as training ranked them; computed again only after a resume
                Embeddings embeddings =
                        Optional.ofNullable(trained.result().bestEmbeddings()).orElseGet(model::embeddings);
                QualityGate.Decision decision = gate.judge(
                        data,
                        embeddings,
                        plan.force(),
                        trained.search() == null || trained.search().beatsPopularity());
                long version = store(
                        claim, plan, trained, data, ModelArtifact.of(model, data, plan.seed()), embeddings, decision);
                finish(
                        claim,
                        decision.passed() ? TrainingJobStatus.SUCCEEDED : TrainingJobStatus.REJECTED,
                        decision.explanation(),
                        version,
                        decision);
                log.info(
                        "retraining job {} {} in {} s: version {}, holdout Recall@20 candidate {} / popular {} /"
                                + " active {}",
                        claim.jobId(),
                        decision.passed() ? "SUCCEEDED" : "REJECTED",
                        String.format("%.1f", (System.nanoTime() - started) / 1e9),
                        version,
                        decision.candidate(),
                        decision.popular(),
                        decision.active());
            }
        } finally {
            // the job's arrays are freed: what glibc kept of them goes back (a trainer runs job after job)
            NativeMemory.collectAndReleaseFreeMemory()
                    .ifPresent(released ->
                            log.info("retraining job {}: memory freed: {}", claim.jobId(), released.describe()));
        }
    }

    /** A trained model (owned by the caller's manager), its result, and the search that chose it (or null). */
    private record Trained(RecommenderModel model, TrainingResult result, SearchReport search) {}

    private Trained train(
            RetrainPlan plan,
            Dataset data,
            NDManager manager,
            EpochProgress progress,
            StopSignal stop,
            CheckpointStore store) {
        TrainingRun.Trained trained = new TrainingRun(Models.get(plan.model()), plan.params(), plan.seed())
                .listener(report -> progress.epoch(report.epoch(), report))
                .stop(stop)
                .checkpoints(store)
                .train(data, manager);
        return new Trained(trained.model(), trained.result(), null);
    }

    /**
     * {@code auto}: MambaRec's settings searched by validation within the job's budget, resumed where
     * an earlier attempt left it.
     */
    private Trained search(
            JobQueue.Claim claim,
            RetrainPlan plan,
            Dataset data,
            NDManager manager,
            EpochProgress progress,
            StopSignal stop,
            JobSearchStore store) {
        // the job's epoch counts every epoch of every point, earlier attempts' included
        int[] epochs = {store.journal().map(SearchJournal::totalEpochs).orElse(0)};
        AutoTuner.Result found = new AutoTuner(searchSettings)
                .tune(
                        data,
                        plan.search().fixed(),
                        plan.seed(),
                        Duration.ofMinutes(plan.search().budgetMinutes()),
                        store,
                        stop,
                        new AutoTuner.Progress() {
                            @Override
                            public void line(String line) {
                                log.info("retraining job {}: {}", claim.jobId(), line);
                            }

                            @Override
                            public void epoch(int point, EpochReport report) {
                                progress.epoch(++epochs[0], report);
                            }
                        },
                        manager);
        if (!queue.searched(claim, SEARCH_JSON.writeValueAsString(found.report()))) {
            stop.leaseLost();
        }
        return new Trained(found.model(), found.result(), found.report());
    }

    /** Writes every epoch to the job row and the meters; a write refused (lease lost) stops the attempt. */
    private final class EpochProgress {

        private final JobQueue.Claim claim;
        private final StopSignal stop;
        private double seconds;
        private int epochs;

        EpochProgress(JobQueue.Claim claim, StopSignal stop) {
            this.claim = claim;
            this.stop = stop;
        }

        void epoch(int jobEpoch, EpochReport report) {
            seconds += report.trainSeconds();
            epochs++;
            if (!queue.progress(
                    claim, jobEpoch, report.meanLoss(), report.validRecall20(), report.bestEpoch(), seconds / epochs)) {
                stop.leaseLost();
            }
            metrics.trainingEpoch(jobEpoch, report.meanLoss(), report.validRecall20(), report.trainSeconds());
        }
    }

    private long store(
            JobQueue.Claim claim,
            RetrainPlan plan,
            Trained trained,
            Dataset data,
            ModelArtifact artifact,
            Embeddings embeddings,
            QualityGate.Decision decision) {
        TrainingResult result = trained.result();
        Map<String, Object> config = new LinkedHashMap<>(plan.asMap());
        if (trained.search() != null) {
            config.put("search", trained.search());
        }
        config.put("epochs", result.epochs());
        config.put("bestEpoch", result.bestEpoch());
        config.put("secondsPerEpoch", result.secondsPerEpoch());
        config.put(
                "dataset",
                Map.of(
                        "users",
                        data.numUsers(),
                        "items",
                        data.numItems(),
                        "train",
                        data.train().size(),
                        "valid",
                        data.valid().size(),
                        "test",
                        data.test().size()));
        Map<String, Object> gateFigures = new LinkedHashMap<>();
        gateFigures.put("candidate" + RankingMetrics.RECALL_20, decision.candidate());
        gateFigures.put("popular" + RankingMetrics.RECALL_20, decision.popular());
        gateFigures.put("active" + RankingMetrics.RECALL_20, decision.active() == null ? "none" : decision.active());
        gateFigures.put("decision", decision.reason());
        config.put("gate", gateFigures);
        NewModelVersion version = new NewModelVersion(
                artifact,
                new ModelMetrics(result.valid(), result.test()),
                config,
                claim.jobId(),
                ModelVersionSource.RETRAIN);
        return decision.passed()
                ? registry.storeAndActivate(version, embeddings)
                : registry.store(version, ModelVersionStatus.REJECTED);
    }

    private void finish(
            JobQueue.Claim claim, TrainingJobStatus status, String error, Long version, QualityGate.Decision decision) {
        try {
            if (queue.finish(
                    claim,
                    status,
                    error,
                    version,
                    decision == null ? null : decision.candidate(),
                    decision == null ? null : decision.active(),
                    decision == null ? null : decision.popular())) {
                metrics.jobFinished(status.name());
                deleteCheckpoints(claim);
            }
        } catch (RuntimeException e) {
            log.error("cannot record the outcome of retraining job {}: {}", claim.jobId(), e.getMessage(), e);
        }
    }

    private void deleteCheckpoints(JobQueue.Claim claim) {
        checkpoints.delete(claim.jobId());
        searchCheckpoints.delete(claim.jobId());
    }

    private void beat(JobQueue.Claim claim, Duration lease, StopSignal stop) {
        try {
            Optional<Boolean> held = queue.heartbeat(claim, lease);
            if (held.isEmpty()) {
                stop.leaseLost();
            } else if (held.get()) {
                stop.cancel();
            }
        } catch (Throwable e) { // NOPMD: a missed beat is retried; the lease covers two more
            metrics.backgroundFailure("job-heartbeat");
            log.warn("heartbeat of retraining job {} failed: {}", claim.jobId(), e.toString());
        }
    }

    private static String message(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() > 2000 ? message.substring(0, 2000) : message;
    }

    /** The trainer's "stop now?" between batches, with the first reason given. */
    private static final class StopSignal implements BooleanSupplier {

        private final BooleanSupplier shuttingDown;
        private volatile StopReason reason;

        StopSignal(BooleanSupplier shuttingDown) {
            this.shuttingDown = shuttingDown;
        }

        void cancel() {
            set(StopReason.CANCELLED);
        }

        void leaseLost() {
            set(StopReason.LEASE_LOST);
        }

        private synchronized void set(StopReason r) {
            if (reason == null) {
                reason = r;
            }
        }

        StopReason reason() {
            return reason;
        }

        @Override
        public boolean getAsBoolean() {
            if (reason == null && shuttingDown.getAsBoolean()) {
                set(StopReason.SHUTDOWN);
            }
            return reason != null;
        }
    }
}
