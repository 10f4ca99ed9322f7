package io.mambarec.registry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Model-version retention: keeps the active version and the newest
 * {@code mambarec.registry.keep-versions} (default 10) of the others, deletes older ones (their
 * parameters are the bulk of the database) every {@code mambarec.registry.retention-interval}
 * (default 1h). One idempotent statement, so replicas may run it concurrently. 0 keeps everything.
 */
@Component
public class ModelVersionRetention {

    private static final Logger log = LoggerFactory.getLogger(ModelVersionRetention.class);

    private final JdbcTemplate jdbc;
    private final int keep;

    public ModelVersionRetention(JdbcTemplate jdbc, @Value("${mambarec.registry.keep-versions:10}") int keep) {
        if (keep < 0) {
            throw new IllegalArgumentException("mambarec.registry.keep-versions must be >= 0, not " + keep);
        }
        this.jdbc = jdbc;
        this.keep = keep;
    }

    /** Deletes every version that is neither active nor among the newest {@code keep}; returns how many. */
    @Scheduled(
            initialDelayString = "${mambarec.registry.retention-interval:1h}",
            fixedDelayString = "${mambarec.registry.retention-interval:1h}")
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
