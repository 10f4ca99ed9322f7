package io.mambarec.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.testsupport.PostgresSpringBootTest;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Requests are observed once (metrics, trace, exemplars), not once more per Spring Security filter. */
@PostgresSpringBootTest
class ObservationScopeTest {

    @Autowired
    ObservationRegistry registry;

    @Test
    void springSecurityFiltersAreNotObserved() {
        Observation filterChain = Observation.start("spring.security.filterchains", registry);
        Observation authorization = Observation.start("spring.security.authorizations", registry);

        assertThat(filterChain.isNoop()).isTrue();
        assertThat(authorization.isNoop()).isTrue();
    }

    @Test
    void theRequestItselfIsObserved() {
        Observation request = Observation.start("http.server.requests", registry);
        try {
            assertThat(request.isNoop()).isFalse();
        } finally {
            request.stop();
        }
    }
}
