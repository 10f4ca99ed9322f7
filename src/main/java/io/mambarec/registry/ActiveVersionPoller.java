package io.mambarec.registry;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Hot swap across replicas by polling: every {@code mambarec.registry.poll-interval} (2 s) each
 * replica reads the ACTIVE version number (one row through a partial unique index) and loads
 * it when it changed. Chosen over LISTEN/NOTIFY because it needs no dedicated connection,
 * survives connection loss and database fail-over without re-subscribing, and a missed
 * notification cannot strand a replica on an old version; the cost is one tiny query per
 * replica every 2 s and up to 2 s (plus the load) of delay.
 */
@Component
public class ActiveVersionPoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ActiveVersionPoller.class);

    private final ModelRegistry registry;
    private final Duration interval;
    private ScheduledExecutorService scheduler;

    public ActiveVersionPoller(ModelRegistry registry,
            @Value("${mambarec.registry.poll-interval:2s}") Duration interval) {
        this.registry = registry;
        this.interval = interval;
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
        scheduler.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            registry.syncActive();
        } catch (RuntimeException e) {
            // database briefly unreachable: keep serving, try again next tick
            log.warn("active model version check failed: {}", e.getMessage());
        }
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
