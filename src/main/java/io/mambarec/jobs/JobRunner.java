package io.mambarec.jobs;

import io.mambarec.config.MambaRecProperties;
import io.mambarec.metrics.ServiceMetrics;
import io.mambarec.role.TrainingRole;
import io.mambarec.storage.JobQueue;
import io.mambarec.storage.TrainingJobStatus;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The trainer: claims queued jobs from PostgreSQL and runs them one at a time on one thread
 * ({@link JobExecution}). It polls the queue every {@code mambarec.jobs.poll-interval} and at once
 * when a job is queued in this process. While a job runs, a heartbeat every third of
 * {@code mambarec.jobs.lease} extends its lease; a trainer that dies stops extending it, and
 * when the lease has passed another trainer (or this one, restarted) claims the job and resumes it
 * from its last checkpoint. A job is claimed at most {@code mambarec.jobs.max-attempts} times.
 *
 * <p>Shutdown (SIGTERM: a rollout, a drain) stops training at the next batch boundary and puts
 * the job back in the queue before the process exits, so no native operation is cut off mid-way.
 */
@Component
@TrainingRole
public class JobRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    static final String TASK = "job-runner";

    private final JobQueue queue;
    private final JobExecution execution;
    private final ServiceMetrics metrics;
    private final String replica;
    private final Duration pollInterval;
    private final Duration lease;
    private final int maxAttempts;
    private final Duration shutdownPatience;
    private ScheduledExecutorService poller;
    private ExecutorService trainer;
    private volatile boolean stopping;
    /** A drain is queued or running on the trainer thread (so polls do not pile up behind a long job). */
    private final AtomicBoolean draining = new AtomicBoolean();

    public JobRunner(JobQueue queue, JobExecution execution, ServiceMetrics metrics, MambaRecProperties properties) {
        this.queue = queue;
        this.execution = execution;
        this.metrics = metrics;
        String replica = properties.replicaId();
        this.replica = replica.isBlank() ? hostName() : replica;
        MambaRecProperties.Jobs jobs = properties.jobs();
        this.pollInterval = jobs.pollInterval();
        this.lease = jobs.lease();
        this.maxAttempts = jobs.maxAttempts();
        this.shutdownPatience = jobs.shutdownPatience();
    }

    /** The name this process writes into the jobs it runs ({@code mambarec.replica-id}, default the host name). */
    public String replica() {
        return replica;
    }

    @EventListener
    public void onQueued(JobQueued event) {
        scheduleDrain();
    }

    private void scheduleDrain() {
        ExecutorService t = trainer;
        if (t != null && !stopping && draining.compareAndSet(false, true)) {
            try {
                t.execute(this::drainQueue);
            } catch (RejectedExecutionException e) {
                draining.set(false); // shutting down
            }
        }
    }

    /** Runs claimable jobs until none is left; survives anything (counted, retried at the next poll). */
    private void drainQueue() {
        try {
            while (!stopping && runNext()) {
                // next job
            }
        } catch (Throwable e) { // NOPMD: the trainer must outlive anything, an Error from a native library included
            metrics.backgroundFailure(TASK);
            log.error("the job runner failed; retrying in {}: {}", pollInterval, e.toString(), e);
        } finally {
            draining.set(false);
        }
    }

    private boolean runNext() {
        for (TrainingJobStatus ended : queue.endExpired(maxAttempts)) {
            metrics.jobFinished(ended.name());
        }
        Optional<JobQueue.Claim> claim = queue.claim(replica, lease, maxAttempts);
        if (claim.isEmpty()) {
            return false;
        }
        execution.run(claim.get(), lease, maxAttempts, () -> stopping);
        return true;
    }

    @Override
    public synchronized void start() {
        if (trainer != null) {
            return;
        }
        stopping = false;
        trainer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "trainer");
            t.setDaemon(true);
            return t;
        });
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "job-queue-poller");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(
                this::scheduleDrain, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        log.info(
                "trainer {} polls the job queue every {} (lease {}, at most {} attempts per job)",
                replica,
                pollInterval,
                lease,
                maxAttempts);
    }

    /**
     * Stops claiming, asks a running job to stop at its next batch and waits for it to put the job
     * back ({@code mambarec.jobs.shutdown-patience}), so the JVM never exits inside a native op.
     */
    @Override
    public void stop() {
        ExecutorService t;
        synchronized (this) {
            if (trainer == null) {
                return;
            }
            stopping = true;
            poller.shutdownNow();
            t = trainer;
            trainer = null;
            poller = null;
        }
        t.shutdown();
        try {
            if (!t.awaitTermination(shutdownPatience.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn(
                        "the running job did not stop within {}; its lease will expire and another trainer resume it",
                        shutdownPatience);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return trainer != null;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "replica-" + ProcessHandle.current().pid();
        }
    }
}
