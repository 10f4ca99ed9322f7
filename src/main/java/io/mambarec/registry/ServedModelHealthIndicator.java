package io.mambarec.registry;

import io.mambarec.role.ServingRole;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness: DOWN while the registry has an active version that this process does not serve (it
 * is still loading it after start-up, or cannot load it), so a replica never takes traffic
 * answering with the popularity fallback while a model is active. During a hot swap the previous
 * version keeps serving and this stays UP.
 */
@Component
@ServingRole
public class ServedModelHealthIndicator implements HealthIndicator {

    private final ServedModel servedModel;

    public ServedModelHealthIndicator(ServedModel servedModel) {
        this.servedModel = servedModel;
    }

    @Override
    public Health health() {
        ServedModel.Status status = servedModel.status();
        boolean ready = status.servesActive() || (status.servedVersion() != 0 && status.failedVersion() == null);
        Health.Builder health = ready ? Health.up() : Health.down();
        health.withDetail("activeVersion", status.activeVersion()).withDetail("servedVersion", status.servedVersion());
        if (status.failedVersion() != null) {
            health.withDetail("failedVersion", status.failedVersion())
                    .withDetail("failure", String.valueOf(status.failure()));
        }
        return health.build();
    }
}
