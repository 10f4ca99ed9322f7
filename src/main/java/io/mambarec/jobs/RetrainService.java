package io.mambarec.jobs;

import io.mambarec.metrics.ServiceMetrics;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.ModelDefinition;
import io.mambarec.model.Models;
import io.mambarec.storage.TrainingJob;
import io.mambarec.storage.TrainingJobRepository;
import io.mambarec.storage.TrainingJobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Submits, reports and cancels retraining jobs. One job at a time across every replica: a
 * submission is refused (409) while the RUN advisory lock is held anywhere or a QUEUED/RUNNING
 * row exists; rows left behind by a dead process (RUNNING with no lock holder, or QUEUED for
 * longer than {@link #QUEUED_GRACE}) are marked FAILED first.
 */
@Service
public class RetrainService {

    private static final Logger log = LoggerFactory.getLogger(RetrainService.class);
    /** A queued job starts within milliseconds on its replica; one still queued after this was orphaned. */
    static final Duration QUEUED_GRACE = Duration.ofSeconds(30);
    private static final int FINISHING_WAIT_ATTEMPTS = 30;
    static final String ABANDONED = "the process running this job stopped before it finished";
    private static final EnumSet<TrainingJobStatus> LIVE = EnumSet.of(TrainingJobStatus.QUEUED, TrainingJobStatus.RUNNING);

    private final TrainingJobRepository jobs;
    private final RetrainLock lock;
    private final RetrainWorker worker;
    private final TransactionTemplate tx;
    private final ServiceMetrics metrics;
    private final String defaultModel;
    private final long seed;
    private final JsonMapper json = JsonMapper.builder().build();

    public RetrainService(TrainingJobRepository jobs, RetrainLock lock, RetrainWorker worker, TransactionTemplate tx,
            ServiceMetrics metrics, @Value("${mambarec.retrain.default-model:mambarec}") String defaultModel,
            @Value("${mambarec.retrain.seed:42}") long seed) {
        this.jobs = jobs;
        this.lock = lock;
        this.worker = worker;
        this.tx = tx;
        this.metrics = metrics;
        this.defaultModel = defaultModel;
        this.seed = seed;
    }

    /**
     * Queues a job. Throws IllegalArgumentException for a bad request (unknown model or parameter)
     * and {@link RetrainConflictException} while another job is queued or running anywhere.
     */
    public TrainingJob submit(RetrainRequest request) {
        RetrainPlan plan = resolve(request);
        TrainingJob job = tx.execute(status -> {
            lock.serializeSubmissions();
            if (!runLockFree()) {
                UUID running = jobs.findByStatusIn(LIVE).stream().map(TrainingJob::getId).findFirst().orElse(null);
                throw new RetrainConflictException("a retraining job is running" + (running == null ? ""
                        : " (job " + running + ")") + "; wait for it or cancel it", running);
            }
            failAbandoned();
            List<TrainingJob> live = jobs.findByStatusIn(LIVE);
            if (!live.isEmpty()) {
                throw new RetrainConflictException("retraining job " + live.get(0).getId() + " is "
                        + live.get(0).getStatus(), live.get(0).getId());
            }
            return jobs.save(new TrainingJob(UUID.randomUUID(), plan.model(), json.writeValueAsString(plan.asMap()),
                    plan.maxEpochs(), Instant.now()));
        });
        worker.enqueue(job.getId(), plan);
        return job;
    }

    public TrainingJob get(String jobId) {
        return jobs.findById(parse(jobId)).orElseThrow(() -> new UnknownJobException(jobId));
    }

    /**
     * Cancels a job: a queued one at once, a running one cooperatively (its trainer stops at the
     * next batch, on whichever replica runs it). A cancelled job never changes what is served.
     */
    public TrainingJob cancel(String jobId) {
        TrainingJob job = get(jobId);
        if (job.getStatus().isFinal()) {
            throw new JobAlreadyFinishedException("retraining job " + jobId + " already finished: " + job.getStatus());
        }
        UUID id = job.getId();
        jobs.requestCancel(id);
        worker.cancelLocally(id);
        if (jobs.cancelQueued(id, Instant.now()) == 1) {
            metrics.jobFinished(TrainingJobStatus.CANCELLED.name());
        }
        return get(jobId);
    }

    /** At start-up: jobs a dead process left RUNNING or QUEUED become FAILED (when no job holds the lock). */
    public int recoverAbandoned() {
        Integer failed = tx.execute(status -> {
            lock.serializeSubmissions();
            return lock.noJobRunning() ? failAbandoned() : 0;
        });
        if (failed != null && failed > 0) {
            log.warn("marked {} abandoned retraining job(s) FAILED", failed);
        }
        return failed == null ? 0 : failed;
    }

    /**
     * The model a request without "model" trains: the configured one ({@code mambarec} by default),
     * else the last registered in {@link Models} (the catalogue lists simpler models first).
     */
    public String defaultModel() {
        List<String> known = Models.names();
        if (known.contains(defaultModel) || known.isEmpty()) {
            return defaultModel;
        }
        String fallback = known.get(known.size() - 1);
        log.warn("default model '{}' is not registered; using '{}'", defaultModel, fallback);
        return fallback;
    }

    private RetrainPlan resolve(RetrainRequest request) {
        String model = request.model() == null ? defaultModel() : request.model();
        ModelDefinition definition = Models.get(model);
        Hyperparameters params = definition.resolve(request.overrides());
        return new RetrainPlan(definition.name(), params, seed, request.force());
    }

    /**
     * True when no job holds the RUN lock. A job records its final status just before it releases
     * the lock: when the lock is held but no row is live any more, wait that moment out.
     */
    private boolean runLockFree() {
        for (int attempt = 0; attempt < FINISHING_WAIT_ATTEMPTS; attempt++) {
            if (lock.noJobRunning()) {
                return true;
            }
            if (!jobs.findByStatusIn(LIVE).isEmpty()) {
                return false;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private int failAbandoned() {
        Instant now = Instant.now();
        int failed = jobs.failAbandoned(ABANDONED, now.minus(QUEUED_GRACE), now);
        for (int k = 0; k < failed; k++) {
            metrics.jobFinished(TrainingJobStatus.FAILED.name());
        }
        return failed;
    }

    private static UUID parse(String jobId) {
        try {
            return UUID.fromString(jobId);
        } catch (IllegalArgumentException e) {
            throw new UnknownJobException(jobId);
        }
    }
}
