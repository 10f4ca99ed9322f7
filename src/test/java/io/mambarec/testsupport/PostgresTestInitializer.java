package io.mambarec.testsupport;

import java.util.HashMap;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Points a Spring context at {@link PostgresTestDatabase} (so no embedded PostgreSQL starts) and
 * switches the start-up demo catalogue off. Test properties still override these; the environment and application.yml do not.
 */
public class PostgresTestInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.datasource.url", PostgresTestDatabase.jdbcUrl());
        properties.put("spring.datasource.username", PostgresTestDatabase.username());
        properties.put("spring.datasource.password", PostgresTestDatabase.password());
        // several cached test contexts share one server: keep each pool small
        properties.put("spring.datasource.hikari.maximum-pool-size", "5");
        properties.put("spring.datasource.hikari.minimum-idle", "1");
        properties.put("mambarec.bootstrap.demo", "false");
        properties.put("mambarec.bootstrap.dataset", "");
        // no background "first training" job when a context starts on data another test left behind
        properties.put("mambarec.retrain.on-empty-registry", "false");
        // cached contexts of other test classes stay alive: their trainers claim only the jobs queued
        // in their own context (at once, by event), never another context's through the queue poll
        properties.put("mambarec.jobs.poll-interval", "1h");
        // above application.yml and the environment, below @SpringBootTest(properties) / @TestPropertySource
        MutablePropertySources sources = context.getEnvironment().getPropertySources();
        MapPropertySource source = new MapPropertySource("mambarec-test-postgres", properties);
        if (sources.contains(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME)) {
            sources.addAfter(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, source);
        } else {
            sources.addFirst(source);
        }
    }
}
