package io.mambarec.registry;

import io.mambarec.config.MambaRecProperties;
import io.mambarec.evaluation.RankingMetrics;
import io.mambarec.metrics.ServiceMetrics;
import io.mambarec.role.ServingRole;
import io.mambarec.serving.ActiveModel;
import io.mambarec.serving.ServingModel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps this serving process on the registry's ACTIVE version. An activation made here serves at
 * once ({@link ActiveVersionChanged}); one made by another process is picked up by polling: every
 * {@code mambarec.registry.poll-interval} (2 s) one indexed query reads the ACTIVE version number,
 * and a changed one is loaded off the request path and swapped in one step ({@link ActiveModel}).
 * Polling needs no dedicated connection and survives connection loss and fail-over, where a missed
 * notification would strand a replica. A version that fails to load is retried every
 * {@code mambarec.registry.load-retry-interval}, the previous one serving meanwhile; the poll
 * survives any failure, counted in {@code mambarec.background.failures{task="model-sync"}}.
 */
@Component
@ServingRole
public class ServedModel implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ServedModel.class);
    static final String TASK = "model-sync";

    private final ModelRegistry registry;
    private final ActiveModel activeModel;
    private final ServiceMetrics metrics;
    private final Duration pollInterval;
    private final Duration loadRetryInterval;
    private ScheduledExecutorService scheduler;

    /** Guarded by {@code this}. */
    private long servedVersion;

    private ServingModel servedModel;
    private long activeVersion;
    private long failedVersion;
    private long failedAtNanos;
    private String failure;

    /** What this process serves against what the registry has active. */
    public record Status(long activeVersion, long servedVersion, Long failedVersion, String failure) {

        /** True unless a version is active that this process does not serve (and cannot, or not yet). */
        public boolean servesActive() {
            return activeVersion == 0 || activeVersion == servedVersion;
        }
    }

    public ServedModel(
            ModelRegistry registry, ActiveModel activeModel, ServiceMetrics metrics, MambaRecProperties properties) {
        this.registry = registry;
        this.activeModel = activeModel;
        this.metrics = metrics;
        this.pollInterval = properties.registry().pollInterval();
        this.loadRetryInterval = properties.registry().loadRetryInterval();
    }

    /** The version this process serves right now, 0 when none. */
    public synchronized long servedVersion() {
        return servedVersion;
    }

    public synchronized Status status() {
        return new Status(activeVersion, servedVersion, failedVersion == 0 ? null : failedVersion, failure);
    }

    /**
     * Serves the registry's ACTIVE version if this process serves another one; serves none when the
     * registry has none. A version that failed to load is tried again after the retry interval.
     */
    public synchronized void sync() {
        Optional<Long> active = registry.activeVersion();
        if (active.isEmpty()) {
            activeVersion = 0;
            // stop serving a version the registry no longer has; a model put in place by other code is left alone
            if (servedVersion != 0 && activeModel.current().orElse(null) == servedModel) {
                log.warn(
                        "no active model version in the registry: this replica stops serving version {}",
                        servedVersion);
                activeModel.activate(null);
                metrics.activeModel(0, Double.NaN);
            }
            servedVersion = 0;
            servedModel = null;
            return;
        }
        long version = active.get();
        activeVersion = version;
        if (version == servedVersion
                || (version == failedVersion && System.nanoTime() - failedAtNanos < loadRetryInterval.toNanos())) {
            return;
        }
        try {
            serve(registry.load(version));
            log.info("serving model version {}", version);
        } catch (RuntimeException e) {
            failedVersion = version;
            failedAtNanos = System.nanoTime();
            failure = e.getMessage();
            log.error(
                    "cannot serve active model version {}; keeping version {}, retrying in {}: {}",
                    version,
                    servedVersion,
                    loadRetryInterval,
                    e.getMessage(),
                    e);
        }
    }

    /** A version activated in this process: served at once, with the model the activation already has. */
    @EventListener
    public synchronized void onActivated(ActiveVersionChanged event) {
        activeVersion = Math.max(activeVersion, event.version());
        if (event.model() != null && event.version() != servedVersion) {
            serve(event.model());
            log.info("serving model version {}", event.version());
        }
    }

    private void serve(ServingModel model) {
        activeModel.activate(model);
        servedModel = model;
        servedVersion = model.version();
        activeVersion = model.version();
        failedVersion = 0;
        failure = null;
        metrics.activeModel(model.version(), model.testMetrics().getOrDefault(RankingMetrics.RECALL_20, Double.NaN));
    }

    private void poll() {
        try {
            sync();
        } catch (Throwable e) { // NOPMD: the poll must outlive anything, an Error from a native library included
            metrics.backgroundFailure(TASK);
            log.warn("active model version check failed; retrying in {}: {}", pollInterval, e.toString());
        }
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "model-version-poller");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(
                this::poll, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
