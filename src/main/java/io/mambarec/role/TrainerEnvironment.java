package io.mambarec.role;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/** A trainer's port serves actuator only: the OpenAPI document and Swagger UI are switched off. */
public final class TrainerEnvironment implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!Role.of(environment).serves()) {
            environment.getPropertySources().addFirst(new MapPropertySource("mambarec-trainer-role", Map.of(
                    "springdoc.api-docs.enabled", "false", "springdoc.swagger-ui.enabled", "false")));
        }
    }
}
