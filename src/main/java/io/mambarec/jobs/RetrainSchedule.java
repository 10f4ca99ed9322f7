package io.mambarec.jobs;

import io.mambarec.config.MambaRecProperties;
import io.mambarec.metrics.ServiceMetrics;
import io.mambarec.role.TrainingRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;
import org.springframework.stereotype.Component;

/**
 * Queues a retraining job on the cron schedule {@code mambarec.retrain.schedule} (off when empty),
 * in training processes. With several trainers each fires, and the queue keeps one: the others'
 * submissions meet the live job and are skipped.
 */
@Component
@TrainingRole
public class RetrainSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RetrainSchedule.class);

    private final RetrainService retrain;
    private final ServiceMetrics metrics;
    private final String cron;
    private ThreadPoolTaskScheduler scheduler;

    public RetrainSchedule(RetrainService retrain, ServiceMetrics metrics, MambaRecProperties properties) {
        this.retrain = retrain;
        this.metrics = metrics;
        this.cron = properties.retrain().schedule().trim(); // validated: empty or a cron expression
    }

    void fire() {
        try {
            log.info(
                    "scheduled retraining job {} queued",
                    retrain.submit(RetrainRequest.empty()).getId());
        } catch (RetrainConflictException e) {
            log.info("scheduled retraining skipped: {}", e.getMessage());
        } catch (Throwable e) { // NOPMD: the schedule must outlive any failure
            metrics.backgroundFailure("retrain-schedule");
            log.error("scheduled retraining could not be queued: {}", e.toString(), e);
        }
    }

    @Override
    public synchronized void start() {
        if (cron.isEmpty() || scheduler != null) {
            return;
        }
        scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("retrain-schedule-");
        scheduler.setDaemon(true);
        scheduler.initialize();
        scheduler.schedule(this::fire, new CronTrigger(cron));
        log.info("retraining scheduled on '{}'", cron);
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdown();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
