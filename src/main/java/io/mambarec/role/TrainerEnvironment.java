package io.mambarec.role;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * A trainer's port serves actuator only: the OpenAPI document and Swagger UI are switched off, and
 * readiness means the database answers (a trainer serves no model: the serving health checks do
 * not exist there).
 */
public final class TrainerEnvironment implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!Role.of(environment).serves()) {
            environment
                    .getPropertySources()
                    .addFirst(new MapPropertySource(
                            "mambarec-trainer-role",
                            Map.of(
                                    "springdoc.api-docs.enabled",
                                    "false",
                                    "springdoc.swagger-ui.enabled",
                                    "false",
                                    "management.endpoint.health.group.readiness.include",
                                    "readinessState, db")));
        }
    }
}
