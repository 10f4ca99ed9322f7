package io.mambarec.jobs;

import io.mambarec.config.MambaRecProperties;
import io.mambarec.metrics.ServiceMetrics;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.Models;
import io.mambarec.storage.JobQueue;
import io.mambarec.storage.TrainingJob;
import io.mambarec.storage.TrainingJobRepository;
import io.mambarec.storage.TrainingJobStatus;
import io.mambarec.tuning.AutoTuner;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Queues, reports and cancels retraining jobs, in any role: a job is a row in PostgreSQL that a
 * trainer process claims ({@link JobRunner}). One job at a time across every process: a submission
 * is refused (409) while a job is QUEUED or RUNNING anywhere -- including a job whose trainer died
 * and which waits to be resumed. Submissions are serialised by a transaction-level advisory lock, so
 * two concurrent {@code POST /retrain} never both see "nothing live".
 */
@Service
public class RetrainService {

    private static final Logger log = LoggerFactory.getLogger(RetrainService.class);
    private static final int LOCK_CLASS = 0x4D524543; // "MREC"; the registry's activation lock is pair 2
    private static final int SUBMIT_LOCK = 3;
    private static final EnumSet<TrainingJobStatus> LIVE =
            EnumSet.of(TrainingJobStatus.QUEUED, TrainingJobStatus.RUNNING);

    private final TrainingJobRepository jobs;
    private final JobQueue queue;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final ServiceMetrics metrics;
    private final String defaultModel;
    private final long seed;
    private final int defaultBudgetMinutes;

    public RetrainService(
            TrainingJobRepository jobs,
            JobQueue queue,
            JdbcTemplate jdbc,
            TransactionTemplate tx,
            ApplicationEventPublisher events,
            ServiceMetrics metrics,
            MambaRecProperties properties) {
        this.jobs = jobs;
        this.queue = queue;
        this.jdbc = jdbc;
        this.tx = tx;
        this.events = events;
        this.metrics = metrics;
        this.defaultModel = properties.retrain().defaultModel();
        this.seed = properties.retrain().seed();
        this.defaultBudgetMinutes =
                (int) Math.max(1, properties.retrain().auto().budget().toMinutes());
    }

    /**
     * Queues a job. Throws IllegalArgumentException for a bad request (unknown model or parameter)
     * and {@link RetrainConflictException} while another job is queued or running anywhere.
     */
    public TrainingJob submit(RetrainRequest request) {
        RetrainPlan plan = resolve(request);
        TrainingJob job = tx.execute(status -> {
            jdbc.queryForObject("select pg_advisory_xact_lock(?, ?)::text", String.class, LOCK_CLASS, SUBMIT_LOCK);
            List<TrainingJob> live = jobs.findByStatusIn(LIVE);
            if (!live.isEmpty()) {
                TrainingJob other = live.get(0);
                throw new RetrainConflictException(
                        "retraining job " + other.getId() + " is " + other.getStatus() + "; wait for it or cancel it",
                        other.getId());
            }
            return jobs.save(
                    new TrainingJob(UUID.randomUUID(), plan.model(), plan.toJson(), plan.maxEpochs(), Instant.now()));
        });
        log.info("retraining job {} queued: {}", job.getId(), plan.model());
        events.publishEvent(new JobQueued(job.getId()));
        return job;
    }

    public TrainingJob get(String jobId) {
        return jobs.findById(parse(jobId)).orElseThrow(() -> new UnknownJobException(jobId));
    }

    /**
     * Cancels a job: a queued one at once, a running one cooperatively (its trainer stops at the
     * next batch, in whichever process runs it), one whose trainer died at once. A cancelled job
     * never changes what is served.
     */
    public TrainingJob cancel(String jobId) {
        TrainingJob job = get(jobId);
        if (job.getStatus().isFinal()) {
            throw new JobAlreadyFinishedException("retraining job " + jobId + " already finished: " + job.getStatus());
        }
        UUID id = job.getId();
        jobs.requestCancel(id);
        if (jobs.cancelQueued(id, Instant.now()) == 1 || queue.cancelExpired(id)) {
            metrics.jobFinished(TrainingJobStatus.CANCELLED.name());
        }
        return get(jobId);
    }

    /** True when a job is queued or running anywhere. */
    public boolean hasLiveJob() {
        return !jobs.findByStatusIn(LIVE).isEmpty();
    }

    /**
     * The model a request without "model" trains: the configured one ({@code auto}, MambaRec tuned
     * within the budget, by default), else the last registered in {@link Models} (the catalogue
     * lists simpler models first).
     */
    public String defaultModel() {
        List<String> known = Models.names();
        if (AutoTuner.isAuto(defaultModel) || known.contains(defaultModel) || known.isEmpty()) {
            return defaultModel;
        }
        String fallback = known.get(known.size() - 1);
        log.warn("default model '{}' is not registered; using '{}'", defaultModel, fallback);
        return fallback;
    }

    private RetrainPlan resolve(RetrainRequest request) {
        String model = request.model() == null ? defaultModel() : request.model();
        if (AutoTuner.isAuto(model)) {
            // every key and value checked now, before a job is queued
            Hyperparameters params = AutoTuner.resolve(request.overrides());
            int budget = request.budgetMinutes() == null ? defaultBudgetMinutes : request.budgetMinutes();
            return new RetrainPlan(
                    AutoTuner.MODEL,
                    params,
                    seed,
                    request.forced(),
                    new RetrainPlan.Search(budget, Map.copyOf(request.overrides())));
        }
        if (request.budgetMinutes() != null) {
            throw new IllegalArgumentException("budgetMinutes applies to \"model\": \"auto\" only");
        }
        ModelDefinition definition = Models.get(model);
        Hyperparameters params = definition.resolve(request.overrides());
        return new RetrainPlan(definition.name(), params, seed, request.forced(), null);
    }

    private static UUID parse(String jobId) {
        try {
            return UUID.fromString(jobId);
        } catch (IllegalArgumentException e) {
            throw new UnknownJobException(jobId);
        }
    }
}
