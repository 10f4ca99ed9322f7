package io.mambarec.jobs;

import ai.djl.ndarray.NDManager;
import io.mambarec.data.Dataset;
import io.mambarec.metrics.ServiceMetrics;
import io.mambarec.model.Embeddings;
import io.mambarec.model.ModelArtifact;
import io.mambarec.model.Models;
import io.mambarec.model.RecommenderModel;
import io.mambarec.registry.ModelMetrics;
import io.mambarec.registry.ModelRegistry;
import io.mambarec.registry.NewModelVersion;
import io.mambarec.serving.ActiveModel;
import io.mambarec.serving.ServingModel;
import io.mambarec.storage.ModelVersionSource;
import io.mambarec.storage.ModelVersionStatus;
import io.mambarec.storage.TrainingJobRepository;
import io.mambarec.storage.TrainingJobStatus;
import io.mambarec.training.EpochReport;
import io.mambarec.training.Trainer;
import io.mambarec.training.TrainingCancelledException;
import io.mambarec.training.TrainingResult;
import io.mambarec.training.TrainingSettings;
import jakarta.annotation.PreDestroy;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Runs retraining jobs on one thread per replica (DJL allows one GradientCollector per JVM).
 * A job holds the cluster-wide RUN lock while it runs, then: snapshot of the catalogue ->
 * training with early stopping (progress and heartbeat written to its row every epoch,
 * cancellation checked between batches) -> the quality gate -> a stored version, activated
 * only past the gate. Until that last step nothing it does reaches serving, so a failed or
 * cancelled job leaves the served model as it was.
 */
@Component
public class RetrainWorker {

    private static final Logger log = LoggerFactory.getLogger(RetrainWorker.class);
    private static final Duration CANCEL_CHECK = Duration.ofSeconds(1);
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final Duration LOCK_PATIENCE = Duration.ofSeconds(10);
    private static final Duration SHUTDOWN_PATIENCE = Duration.ofSeconds(20);

    private final TrainingJobRepository jobs;
    private final RetrainLock lock;
    private final CatalogueSnapshot snapshot;
    private final ModelRegistry registry;
    private final ActiveModel activeModel;
    private final ServiceMetrics metrics;
    private final String replica;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "retrain-worker");
        t.setDaemon(true);
        return t;
    });
    private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();
    private volatile UUID running;

    public RetrainWorker(TrainingJobRepository jobs, RetrainLock lock, CatalogueSnapshot snapshot,
            ModelRegistry registry, ActiveModel activeModel, ServiceMetrics metrics,
            @Value("${mambarec.replica-id:}") String replica) {
        this.jobs = jobs;
        this.lock = lock;
        this.snapshot = snapshot;
        this.registry = registry;
        this.activeModel = activeModel;
        this.metrics = metrics;
        this.replica = replica.isBlank() ? hostName() : replica;
    }

    void enqueue(UUID jobId, RetrainPlan plan) {
        executor.execute(() -> run(jobId, plan));
    }

    void cancelLocally(UUID jobId) {
        cancelled.add(jobId);
    }

    private void run(UUID jobId, RetrainPlan plan) {
        try (RetrainLock.Held held = lock.acquireRunLock(LOCK_PATIENCE)) {
            if (jobs.markRunning(jobId, replica, Instant.now()) == 0) {
                return; // cancelled while queued
            }
            running = jobId;
            metrics.trainingStarted();
            Outcome outcome = execute(jobId, plan);
            finish(jobId, outcome);
        } catch (Exception e) {
            log.error("retraining job {} could not run: {}", jobId, e.getMessage(), e);
            finish(jobId, Outcome.failed(e));
        } finally {
            running = null;
            cancelled.remove(jobId);
        }
    }

    private Outcome execute(UUID jobId, RetrainPlan plan) {
        BooleanSupplier cancel = cancellationCheck(jobId);
        long started = System.nanoTime();
        try {
            Instant snapshotTime = snapshot.databaseNow();
            Dataset data = snapshot.read("catalogue");
            if (data.train().size() == 0) {
                return Outcome.failed(new IllegalStateException("the catalogue has no interactions to train on"));
            }
            log.info("retraining job {}: {} on {} users, {} items, {}/{}/{} interactions", jobId, plan.model(),
                    data.numUsers(), data.numItems(), data.train().size(), data.valid().size(), data.test().size());
            Candidate candidate = train(jobId, plan, data, cancel);
            if (cancel.getAsBoolean()) {
                throw new TrainingCancelledException("cancelled after training");
            }
            List<String> erased = snapshot.erasedSince(snapshotTime, data.userIds());
            if (!erased.isEmpty()) { // no model may contain an erased user: this one is discarded
                return Outcome.failed(new IllegalStateException(erased.size() + " user(s) of the training data were"
                        + " erased while the job ran; the model is discarded, retrain"));
            }
            Outcome outcome = gateAndStore(jobId, plan, data, candidate);
            log.info("retraining job {} {} in {} s: version {}, holdout Recall@20 candidate {} / active {}", jobId,
                    outcome.status(), String.format("%.1f", (System.nanoTime() - started) / 1e9), outcome.version(),
                    outcome.candidateRecall(), outcome.activeRecall());
            return outcome;
        } catch (TrainingCancelledException e) {
            log.info("retraining job {} cancelled: {}", jobId, e.getMessage());
            return new Outcome(TrainingJobStatus.CANCELLED, null, null, null, null);
        } catch (RuntimeException e) {
            log.warn("retraining job {} failed: {}", jobId, e.getMessage(), e);
            return Outcome.failed(e);
        }
    }

    /** The trained model's artifact and embeddings; its native memory is released on return. */
    private record Candidate(ModelArtifact artifact, Embeddings embeddings, TrainingResult result) {
    }

    private Candidate train(UUID jobId, RetrainPlan plan, Dataset data, BooleanSupplier cancel) {
        Trainer trainer = new Trainer(TrainingSettings.of(plan.params()), plan.seed());
        double[] trainSeconds = {0};
        try (NDManager manager = NDManager.newBaseManager();
                RecommenderModel model = Models.get(plan.model()).create(data, plan.params(), manager, plan.seed())) {
            TrainingResult result = trainer.train(model, data, report -> {
                trainSeconds[0] += report.trainSeconds();
                progress(jobId, report, trainSeconds[0] / report.epoch());
            }, cancel);
            return new Candidate(ModelArtifact.of(model, data), model.embeddings(), result);
        }
    }

    private void progress(UUID jobId, EpochReport report, double secondsPerEpoch) {
        jobs.progress(jobId, report.epoch(), report.meanLoss(), report.validRecall20(), report.bestEpoch(),
                secondsPerEpoch, Instant.now());
        metrics.trainingEpoch(report.epoch(), report.meanLoss(), report.validRecall20(), report.trainSeconds());
    }

    /**
     * The quality gate: the candidate is activated only if its test Recall@20 on this job's
     * holdout is not below the served model's on the same holdout (or {@code force}); otherwise
     * it is stored as REJECTED with both figures.
     */
    private Outcome gateAndStore(UUID jobId, RetrainPlan plan, Dataset data, Candidate candidate) {
        registry.syncActive(); // compare with the version the cluster serves, not a stale local one
        double candidateRecall = HoldoutRecall.ofCandidate(data, candidate.embeddings());
        Optional<ServingModel> served = activeModel.current();
        Double activeRecall = served.map(s -> HoldoutRecall.ofServed(data, s)).orElse(null);
        boolean passes = plan.force() || activeRecall == null || candidateRecall >= activeRecall;

        TrainingResult result = candidate.result();
        Map<String, Object> config = new LinkedHashMap<>(plan.asMap());
        config.put("epochs", result.epochs());
        config.put("bestEpoch", result.bestEpoch());
        config.put("secondsPerEpoch", result.secondsPerEpoch());
        config.put("dataset", Map.of("users", data.numUsers(), "items", data.numItems(), "train", data.train().size(),
                "valid", data.valid().size(), "test", data.test().size()));
        config.put("gate", Map.of("candidateRecall@20", candidateRecall,
                "activeRecall@20", activeRecall == null ? "none" : activeRecall, "forced", plan.force()));
        NewModelVersion version = new NewModelVersion(candidate.artifact(),
                new ModelMetrics(result.valid(), result.test()), config, jobId, ModelVersionSource.RETRAIN);
        long number;
        if (passes) {
            ServingModel serving = new ServingModel(0, plan.model(), data.userIds(), data.itemIds(),
                    candidate.embeddings(), result.test());
            number = registry.storeAndActivate(version, serving).version();
        } else {
            number = registry.store(version, ModelVersionStatus.REJECTED);
        }
        return new Outcome(passes ? TrainingJobStatus.SUCCEEDED : TrainingJobStatus.REJECTED, number, candidateRecall,
                activeRecall, passes ? null : String.format(java.util.Locale.ROOT,
                        "quality gate: candidate test Recall@20 %.4f is below the active model's %.4f on this holdout",
                        candidateRecall, activeRecall));
    }

    /** Cancelled when asked here or, checked about once a second, in the job's row (any replica); beats the heartbeat. */
    private BooleanSupplier cancellationCheck(UUID jobId) {
        long[] lastCheck = {System.nanoTime()};
        long[] lastBeat = {System.nanoTime()};
        return () -> {
            if (cancelled.contains(jobId)) {
                return true;
            }
            long now = System.nanoTime();
            if (now - lastCheck[0] >= CANCEL_CHECK.toNanos()) {
                lastCheck[0] = now;
                try {
                    if (jobs.isCancelRequested(jobId)) {
                        cancelled.add(jobId);
                        return true;
                    }
                    if (now - lastBeat[0] >= HEARTBEAT.toNanos()) {
                        lastBeat[0] = now;
                        jobs.heartbeat(jobId, Instant.now());
                    }
                } catch (RuntimeException e) {
                    log.debug("cancellation check of job {} failed: {}", jobId, e.getMessage());
                }
            }
            return false;
        };
    }

    private void finish(UUID jobId, Outcome outcome) {
        try {
            if (jobs.finish(jobId, outcome.status(), outcome.error(), outcome.version(), outcome.candidateRecall(),
                    outcome.activeRecall(), Instant.now()) == 1) {
                metrics.jobFinished(outcome.status().name());
            }
        } catch (RuntimeException e) {
            log.error("cannot record the outcome of retraining job {}: {}", jobId, e.getMessage(), e);
        }
    }

    /** How a job ended. */
    record Outcome(TrainingJobStatus status, Long version, Double candidateRecall, Double activeRecall, String error) {

        static Outcome failed(Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Outcome(TrainingJobStatus.FAILED, null, null, null,
                    message.length() > 2000 ? message.substring(0, 2000) : message);
        }
    }

    /** On shutdown a running job is cancelled cooperatively; if it does not stop in time, the next start-up fails it. */
    @PreDestroy
    void stop() throws InterruptedException {
        UUID job = running;
        if (job != null) {
            cancelled.add(job);
        }
        executor.shutdown();
        if (!executor.awaitTermination(SHUTDOWN_PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "replica-" + ProcessHandle.current().pid();
        }
    }
}
