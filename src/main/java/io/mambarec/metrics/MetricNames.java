package io.mambarec.metrics;

/**
 * The service's own Micrometer meters. Names are Micrometer's dotted form; Prometheus sees them
 * with dots as underscores and the unit/suffix Micrometer adds (shown after each).
 * The Grafana dashboard and the alert rules in ops/ use exactly these.
 */
public final class MetricNames {

    /** Timer, tag {@code strategy} (model, fold-in, popular): mambarec_recommend_seconds_{bucket,count,sum,max}. */
    public static final String RECOMMEND_LATENCY = "mambarec.recommend";
    /** Counter, tag {@code strategy}: mambarec_recommend_requests_total. */
    public static final String RECOMMEND_REQUESTS = "mambarec.recommend.requests";
    /**
     * Counter, tag {@code outcome} (list: answered from the user's candidate list; short: the list
     * had fewer than k eligible items, the request scanned; not-ready: no list yet for the served
     * version, the request scanned): mambarec_recommend_candidates_total. Unfiltered model requests only.
     */
    public static final String RECOMMEND_CANDIDATES = "mambarec.recommend.candidates";
    /** Gauge (base unit bytes): mambarec_serving_candidate_lists_bytes (heap held by the served version's candidate lists). */
    public static final String CANDIDATE_LISTS_BYTES = "mambarec.serving.candidate.lists.bytes";
    /** Gauge: mambarec_serving_candidate_lists_ready (1 when every known user's list of the served version is built, or lists are off). */
    public static final String CANDIDATE_LISTS_READY = "mambarec.serving.candidate.lists.ready";
    /** Counter: mambarec_interactions_ingested_total. */
    public static final String INTERACTIONS_INGESTED = "mambarec.interactions.ingested";
    /** Timer: mambarec_training_epoch_seconds_{count,sum,max}. */
    public static final String TRAINING_EPOCH_TIME = "mambarec.training.epoch";
    /** Gauge: mambarec_training_epoch_current (epoch of the running job, 0 when none). */
    public static final String TRAINING_EPOCH_CURRENT = "mambarec.training.epoch.current";
    /** Gauge: mambarec_training_loss (last epoch's mean training loss of the running job). */
    public static final String TRAINING_LOSS = "mambarec.training.loss";
    /** Gauge: mambarec_training_valid_recall20 (last validation Recall@20 of the running job). */
    public static final String TRAINING_VALID_RECALL = "mambarec.training.valid.recall20";
    /** Gauge: mambarec_training_running (1 while a job runs on this replica). */
    public static final String TRAINING_RUNNING = "mambarec.training.running";
    /** Counter, tag {@code status} (SUCCEEDED, REJECTED, FAILED, CANCELLED): mambarec_jobs_finished_total. */
    public static final String JOBS_FINISHED = "mambarec.jobs.finished";
    /** Gauge: mambarec_model_active_version (0 when no model is active). */
    public static final String ACTIVE_MODEL_VERSION = "mambarec.model.active.version";
    /** Gauge: mambarec_model_active_recall20 (test Recall@20 of the active model). */
    public static final String ACTIVE_MODEL_RECALL = "mambarec.model.active.recall20";
    /** Gauge (base unit bytes): mambarec_process_resident_memory_bytes (VmRSS: heap plus DJL's native memory). */
    public static final String PROCESS_RESIDENT_MEMORY = "mambarec.process.resident.memory";

    public static final String BACKGROUND_FAILURES = "mambarec.background.failures";
    public static final String GATE_DECISIONS = "mambarec.gate.decisions";
    public static final String GATE_LAST_PASSED = "mambarec.gate.last.passed";
    public static final String JOBS_RESUMED = "mambarec.jobs.resumed";

    /** Timer, tag {@code status}: mambarec_jobs_duration_seconds (start of training to the job's end, on the training process). */
    public static final String JOB_DURATION = "mambarec.jobs.duration";
    /** Gauge: mambarec_jobs_last_success_timestamp_seconds (epoch seconds of this process's last SUCCEEDED job; NaN before). */
    public static final String JOB_LAST_SUCCESS = "mambarec.jobs.last.success.timestamp";
    /** Gauge (base unit bytes): mambarec_container_memory_limit_bytes (the cgroup's memory limit; NaN when unlimited). */
    public static final String CONTAINER_MEMORY_LIMIT = "mambarec.container.memory.limit";

    private MetricNames() {}
}
