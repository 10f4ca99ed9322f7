package io.mambarec.registry;

import io.mambarec.config.MambaRecProperties;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Model-version retention: keeps the active version and the newest
 * {@code mambarec.registry.keep-versions} (default 10) of the others, deletes older ones (their
 * parameters are the bulk of the database) every {@code mambarec.registry.retention-interval}
 * (default 1h), in serving processes. One idempotent statement, so replicas may run it concurrently. 0 keeps everything.
 */
@Component
public class ModelVersionRetention implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(ModelVersionRetention.class);

    private final JdbcTemplate jdbc;
    private final int keep;
    private final Duration interval;

    @Autowired
    public ModelVersionRetention(JdbcTemplate jdbc, MambaRecProperties properties) {
        this(jdbc, properties.registry().keepVersions(), properties.registry().retentionInterval());
    }

    ModelVersionRetention(JdbcTemplate jdbc, int keep, Duration interval) {
        this.jdbc = jdbc;
        this.keep = keep;
        this.interval = interval;
    }

    /** Runs {@link #prune()} every retention interval where scheduling is on (serving processes). */
    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::prune, interval, interval));
    }

    /** Deletes every version that is neither active nor among the newest {@code keep}; returns how many. */
    public int prune() {
        if (keep == 0) {
            return 0;
        }
        int deleted = jdbc.update(
                "DELETE FROM model_version WHERE status <> 'ACTIVE' AND version NOT IN"
                        + " (SELECT version FROM model_version ORDER BY version DESC LIMIT ?)",
                keep);
        if (deleted > 0) {
            log.info(
                    "Model-version retention: deleted {} version(s), kept the active one and the newest {}",
                    deleted,
                    keep);
        }
        return deleted;
    }
}
