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

    // created, never started: a started observation would register meters without the request's
    // tags (uri, status, ...) in the context's registry, which the other tests share

    @Test
    void springSecurityFiltersAreNotObserved() {
        Observation filterChain = Observation.createNotStarted("spring.security.filterchains", registry);
        Observation authorization = Observation.createNotStarted("spring.security.authorizations", registry);

        assertThat(filterChain.isNoop()).isTrue();
        assertThat(authorization.isNoop()).isTrue();
    }

    @Test
    void theRequestItselfIsObserved() {
        Observation request = Observation.createNotStarted("http.server.requests", registry);

        assertThat(request.isNoop()).isFalse();
    }
}
