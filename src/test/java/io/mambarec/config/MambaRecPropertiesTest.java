package io.mambarec.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.unit.DataSize;

/**
 * The {@code mambarec.*} tree as Spring binds it at start-up: every default without configuration,
 * values given as properties, and a start that stops on a bad value with a report naming the
 * property, the value and the rule.
 */
@ExtendWith(OutputCaptureExtension.class)
class MambaRecPropertiesTest {

    @Test
    void withoutConfigurationEveryPropertyHasItsDefault() {
        try (ConfigurableApplicationContext context = start()) {
            MambaRecProperties bound = context.getBean(MambaRecProperties.class);
            assertThat(bound).isEqualTo(MambaRecProperties.defaults());
            assertThat(bound.role()).isEqualTo("standalone");
            assertThat(bound.replicaId()).isEmpty();
            assertThat(bound.api().maxRequestBody()).isEqualTo(DataSize.ofMegabytes(16));
            assertThat(bound.jobs().lease()).isEqualTo(Duration.ofSeconds(30));
            assertThat(bound.registry().retentionInterval()).isEqualTo(Duration.ofHours(1));
            assertThat(bound.serving().seenItemsCache().maxItems()).isEqualTo(5_000_000L);
            assertThat(bound.events().weight().view()).isEqualTo(0.25);
            assertThat(bound.retrain().schedule()).isEmpty();
            assertThat(bound.retrain().defaultModel()).isEqualTo("auto");
            assertThat(bound.retrain().auto().budget()).isEqualTo(Duration.ofMinutes(60));
            assertThat(bound.bootstrap().demo()).isTrue();
            assertThat(bound.embeddedPostgres().dataDir()).isEqualTo("./data/postgres");
        }
    }

    @Test
    void givenValuesAreBoundWithTheirUnits() {
        try (ConfigurableApplicationContext context = start(
                "--mambarec.role=trainer",
                "--mambarec.jobs.lease=2m",
                "--mambarec.api.max-request-body=1KB",
                "--mambarec.retrain.schedule=0 0 3 * * *",
                "--mambarec.serving.seen-items-cache.enabled=false",
                "--mambarec.security.client-api-keys= a, b ,")) {
            MambaRecProperties bound = context.getBean(MambaRecProperties.class);
            assertThat(bound.role()).isEqualTo("trainer");
            assertThat(bound.jobs().lease()).isEqualTo(Duration.ofMinutes(2));
            assertThat(bound.api().maxRequestBody()).isEqualTo(DataSize.ofKilobytes(1));
            assertThat(bound.retrain().schedule()).isEqualTo("0 0 3 * * *");
            assertThat(bound.serving().seenItemsCache().enabled()).isFalse();
            assertThat(bound.security().clientKeys()).containsExactly("a", "b");
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "mambarec.serving.fresh-share | 1.5 | must be less than or equal to 1",
                "mambarec.events.weight.view | -0.1 | must be greater than or equal to 0",
                "mambarec.jobs.lease | 500ms | must be longer than or equal to 1 second",
                "mambarec.jobs.max-attempts | 0 | must be greater than or equal to 1",
                "mambarec.registry.keep-versions | -1 | must be greater than or equal to 0",
                "mambarec.training.threads | -2 | must be greater than or equal to 0",
                "mambarec.retrain.schedule | every night | must be empty or a cron expression",
                "mambarec.retrain.default-model | ' ' | must not be blank",
                "mambarec.embedded-postgres.port | 70000 | must be less than or equal to 65535"
            })
    void aBadValueStopsTheStartWithTheRuleItBreaks(String property, String value, String reason, CapturedOutput out) {
        assertThatThrownBy(() -> start("--" + property + "=" + value).close()).hasStackTraceContaining(reason);
        // the start-up report an operator reads (Spring Boot names a nested field in camel case: freshShare)
        assertThat(out.getAll()).contains("APPLICATION FAILED TO START").contains("Reason: " + reason);
        assertThat(out.getAll().replace("-", "").toLowerCase(Locale.ROOT))
                .contains("property: " + property.replace("-", ""));
    }

    @Test
    void aValueOfTheWrongTypeStopsTheStart(CapturedOutput out) {
        assertThatThrownBy(() -> start("--mambarec.registry.poll-interval=soon").close())
                .hasStackTraceContaining("mambarec.registry.poll-interval");
        assertThat(out.getAll()).contains("APPLICATION FAILED TO START").contains("mambarec.registry.poll-interval");
    }

    private static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(PropertiesConfiguration.class, ValidationAutoConfiguration.class)
                .web(WebApplicationType.NONE)
                .run(args);
    }
}
