package io.mambarec.role;

import java.util.Locale;
import org.springframework.core.env.Environment;

/**
 * What a process of the one jar does ({@code mambarec.role}, env {@code MAMBAREC_ROLE}):
 * <ul>
 * <li>{@link #STANDALONE} (default): serves the REST API and trains, in one process;</li>
 * <li>{@link #SERVER}: serves the REST API only; {@code POST /retrain} queues a job for a trainer;</li>
 * <li>{@link #TRAINER}: claims queued jobs from PostgreSQL and trains them; its port serves
 * only actuator (health, prometheus, info).</li>
 * </ul>
 * Packages follow the roles: {@code api} and {@code serving} exist in serving processes only
 * ({@link RoleComponentFilter}), the job runner in training processes only ({@link TrainingRole}).
 */
public enum Role {
    STANDALONE,
    SERVER,
    TRAINER;

    public static final String PROPERTY = "mambarec.role";

    public boolean serves() {
        return this != TRAINER;
    }

    public boolean trains() {
        return this != SERVER;
    }

    /** The configured role; an unknown value stops the start with a message naming the choices. */
    public static Role of(Environment environment) {
        String value = environment.getProperty(PROPERTY, "standalone").trim();
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    PROPERTY + " (MAMBAREC_ROLE) is '" + value + "'; choose standalone, server or trainer");
        }
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
