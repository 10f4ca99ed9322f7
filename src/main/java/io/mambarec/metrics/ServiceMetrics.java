package io.mambarec.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * The service's own meters (names in {@link MetricNames}), all registered at start-up so that
 * dashboards and alerts find every series from the first scrape.
 */
@Component
public class ServiceMetrics {

    /** The strategies of {@code /recommend}. */
    public static final List<String> STRATEGIES = List.of("model", "fold-in", "session", "popular");
    /** The background tasks that count their failures ({@link #backgroundFailure}). */
    public static final List<String> BACKGROUND_TASKS =
            List.of("model-sync", "job-runner", "job-heartbeat", "retrain-schedule");
    /** Final statuses of retraining jobs. */
    public static final List<String> JOB_STATUSES = List.of("SUCCEEDED", "REJECTED", "FAILED", "CANCELLED");

    private final Map<String, Timer> recommendLatency = new ConcurrentHashMap<>();
    private final Map<String, Counter> recommendRequests = new ConcurrentHashMap<>();
    private final Map<String, Counter> jobsFinished = new ConcurrentHashMap<>();
    private final Map<String, Timer> jobDuration = new ConcurrentHashMap<>();
    private final AtomicLong trainingStartedNanos = new AtomicLong(-1);
    private final AtomicReference<Double> lastSuccess = new AtomicReference<>(Double.NaN);
    private final Counter interactionsIngested;
    private final Timer trainingEpoch;
    private final AtomicLong trainingEpochCurrent = new AtomicLong();
    private final AtomicReference<Double> trainingLoss = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> trainingValidRecall = new AtomicReference<>(Double.NaN);
    private final AtomicLong trainingRunning = new AtomicLong();
    private final AtomicLong activeVersion = new AtomicLong();
    private final AtomicReference<Double> activeRecall = new AtomicReference<>(Double.NaN);
    /** 1 when the last gate decision activated its candidate, 0 when it rejected it, NaN before any. */
    private final AtomicReference<Double> gateLastPassed = new AtomicReference<>(Double.NaN);

    private final MeterRegistry registry;
    private final Counter jobsResumed;

    public ServiceMetrics(MeterRegistry registry) {
        this.registry = registry;
        // registered up front so that dashboards and alerts find every series from the start
        for (String task : BACKGROUND_TASKS) {
            backgroundFailureCounter(task);
        }
        for (String reason : List.of("passed", "forced")) {
            gateDecisionCounter(true, reason);
        }
        for (String reason : List.of("below-popularity", "below-popularity-on-validation", "below-active")) {
            gateDecisionCounter(false, reason);
        }
        jobsResumed = Counter.builder(MetricNames.JOBS_RESUMED)
                .description("Retraining jobs resumed from a checkpoint")
                .register(registry);
        Gauge.builder(MetricNames.GATE_LAST_PASSED, gateLastPassed, AtomicReference::get)
                .description("1 when the quality gate's last decision activated its candidate, 0 when it rejected it")
                .register(registry);
        for (String strategy : STRATEGIES) {
            recommendLatency.put(
                    strategy,
                    Timer.builder(MetricNames.RECOMMEND_LATENCY)
                            .description("Latency of /recommend by strategy")
                            .tag("strategy", strategy)
                            .publishPercentileHistogram()
                            .minimumExpectedValue(Duration.ofNanos(50_000))
                            .maximumExpectedValue(Duration.ofSeconds(1))
                            .register(registry));
            recommendRequests.put(
                    strategy,
                    Counter.builder(MetricNames.RECOMMEND_REQUESTS)
                            .description("Answered /recommend requests by strategy")
                            .tag("strategy", strategy)
                            .register(registry));
        }
        for (String status : JOB_STATUSES) {
            jobsFinished.put(
                    status,
                    Counter.builder(MetricNames.JOBS_FINISHED)
                            .description("Retraining jobs by final status")
                            .tag("status", status)
                            .register(registry));
            jobDuration.put(
                    status,
                    Timer.builder(MetricNames.JOB_DURATION)
                            .description("Retraining job duration from the start of training, by final status")
                            .tag("status", status)
                            .register(registry));
        }
        Gauge.builder(MetricNames.JOB_LAST_SUCCESS, lastSuccess, AtomicReference::get)
                .description("When this process last finished a SUCCEEDED retraining job (epoch seconds)")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder(MetricNames.CONTAINER_MEMORY_LIMIT, ServiceMetrics::containerMemoryLimitBytes)
                .description("The container's (cgroup's) memory limit")
                .baseUnit("bytes")
                .register(registry);
        interactionsIngested = Counter.builder(MetricNames.INTERACTIONS_INGESTED)
                .description("Interactions stored (duplicates excluded)")
                .register(registry);
        trainingEpoch = Timer.builder(MetricNames.TRAINING_EPOCH_TIME)
                .description("Training time per epoch (evaluation excluded)")
                .register(registry);
        Gauge.builder(MetricNames.TRAINING_EPOCH_CURRENT, trainingEpochCurrent, AtomicLong::get)
                .description("Epoch of the running retraining job")
                .register(registry);
        Gauge.builder(MetricNames.TRAINING_LOSS, trainingLoss, AtomicReference::get)
                .description("Mean training loss of the running job's last epoch")
                .register(registry);
        Gauge.builder(MetricNames.TRAINING_VALID_RECALL, trainingValidRecall, AtomicReference::get)
                .description("Validation Recall@20 of the running job's last epoch")
                .register(registry);
        Gauge.builder(MetricNames.TRAINING_RUNNING, trainingRunning, AtomicLong::get)
                .description("1 while a retraining job runs on this replica")
                .register(registry);
        Gauge.builder(MetricNames.ACTIVE_MODEL_VERSION, activeVersion, AtomicLong::get)
                .description("Version of the model this replica serves (0: none)")
                .register(registry);
        Gauge.builder(MetricNames.ACTIVE_MODEL_RECALL, activeRecall, AtomicReference::get)
                .description("Test Recall@20 of the served model")
                .register(registry);
        Gauge.builder(MetricNames.PROCESS_RESIDENT_MEMORY, ServiceMetrics::residentMemoryBytes)
                .description("Resident set size of the process (heap and native memory)")
                .baseUnit("bytes")
                .register(registry);
    }

    public void recommendation(String strategy, long nanos) {
        recommendLatency.get(strategy).record(nanos, TimeUnit.NANOSECONDS);
        recommendRequests.get(strategy).increment();
    }

    public void interactionsIngested(long count) {
        interactionsIngested.increment(count);
    }

    public void trainingStarted() {
        trainingStartedNanos.set(System.nanoTime());
        trainingRunning.set(1);
        trainingEpochCurrent.set(0);
        trainingLoss.set(Double.NaN);
        trainingValidRecall.set(Double.NaN);
    }

    public void trainingEpoch(int epoch, double loss, double validRecall20, double seconds) {
        trainingEpochCurrent.set(epoch);
        trainingLoss.set(loss);
        trainingValidRecall.set(validRecall20);
        trainingEpoch.record(Duration.ofNanos((long) (seconds * 1e9)));
    }

    public void jobFinished(String status) {
        trainingRunning.set(0);
        Counter counter = jobsFinished.get(status);
        if (counter == null) {
            throw new IllegalArgumentException("not a final job status: " + status);
        }
        counter.increment();
        long started = trainingStartedNanos.getAndSet(-1);
        if (started >= 0) {
            jobDuration.get(status).record(Duration.ofNanos(System.nanoTime() - started));
        }
        if ("SUCCEEDED".equals(status)) {
            lastSuccess.set(System.currentTimeMillis() / 1000.0);
        }
    }

    /** A background task (poll, listener, scheduled job) failed and will be retried. */
    public void backgroundFailure(String task) {
        backgroundFailureCounter(task).increment();
    }

    /** The quality gate's decision on a candidate: passed (activated) or not; the last one as a gauge. */
    public void gateDecision(boolean passed, String reason) {
        gateDecisionCounter(passed, reason).increment();
        gateLastPassed.set(passed ? 1.0 : 0.0);
    }

    /** A job continued from a checkpoint. */
    public void jobResumed() {
        jobsResumed.increment();
    }

    private Counter backgroundFailureCounter(String task) {
        return Counter.builder(MetricNames.BACKGROUND_FAILURES)
                .description("Failures of background tasks, each retried")
                .tag("task", task)
                .register(registry);
    }

    private Counter gateDecisionCounter(boolean passed, String reason) {
        return Counter.builder(MetricNames.GATE_DECISIONS)
                .description("Quality gate decisions on trained candidates")
                .tag("decision", passed ? "activated" : "rejected")
                .tag("reason", reason)
                .register(registry);
    }

    public void activeModel(long version, double testRecall20) {
        activeVersion.set(version);
        activeRecall.set(testRecall20);
    }

    /** cgroup v2 memory.max, else v1 memory.limit_in_bytes; NaN when unlimited or not in a cgroup. */
    static double containerMemoryLimitBytes() {
        for (String file : List.of("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")) {
            try {
                String value = Files.readString(Path.of(file)).trim();
                // "max" (v2) or a huge number near Long.MAX_VALUE (v1) mean no limit
                return value.equals("max") || Double.parseDouble(value) > 1e18 ? Double.NaN : Double.parseDouble(value);
            } catch (IOException | NumberFormatException | SecurityException e) {
                // try the next layout
            }
        }
        return Double.NaN;
    }

    /** VmRSS from /proc (Linux); NaN elsewhere. */
    static double residentMemoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Double.parseDouble(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }
}
