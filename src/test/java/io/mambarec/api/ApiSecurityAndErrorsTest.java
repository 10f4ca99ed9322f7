package io.mambarec.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.TestHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** API keys and problem details for errors outside any controller (routes, methods, the filter). */
class ApiSecurityAndErrorsTest {

    @Nested
    @PostgresSpringBootTest(
            properties = {
                "mambarec.security.admin-api-key=admin-secret",
                "mambarec.security.client-api-keys=client-a, client-b"
            })
    class WithKeys {

        @LocalServerPort
        int port;

        TestHttp http;

        @BeforeEach
        void setUp() {
            http = new TestHttp(port);
        }

        @Test
        void adminEndpointsNeedTheAdminKey() {
            String body = "{\"features\":{}}";
            assertThat(http.put("/items/x", body).isProblem(401)).isTrue();
            assertThat(http.withApiKey("wrong").put("/items/x", body).isProblem(401))
                    .isTrue();
            // a valid client key is not enough: 403 (authenticated, not allowed)
            assertThat(http.withApiKey("client-a").put("/items/x", body).isProblem(403))
                    .isTrue();
            assertThat(http.withApiKey("admin-secret").put("/items/x", body).status())
                    .isNotIn(401, 403);
            assertThat(http.post("/retrain", "{}").isProblem(401)).isTrue();
            assertThat(http.delete("/retrain/abc").isProblem(401)).isTrue();
            assertThat(http.post("/models/1/activate", null).isProblem(401)).isTrue();
        }

        @Test
        void clientEndpointsNeedAClientKeyWhenConfigured() {
            assertThat(http.get("/recommend/u1").isProblem(401)).isTrue();
            assertThat(http.withApiKey("nope").get("/recommend/u1").isProblem(401))
                    .isTrue();
            assertThat(http.post("/interactions", "[]").isProblem(401)).isTrue();
            assertThat(http.get("/items/i1/similar").isProblem(401)).isTrue();
            assertThat(http.withApiKey("client-b").get("/recommend/u1").status())
                    .isNotEqualTo(401);
            assertThat(http.withApiKey("admin-secret").get("/recommend/u1").status())
                    .isNotEqualTo(401);
            // admin reads need a client (or the admin) key too
            assertThat(http.get("/models").isProblem(401)).isTrue();
            assertThat(http.get("/retrain/abc").isProblem(401)).isTrue();
            assertThat(http.withApiKey("client-a").get("/models").status()).isEqualTo(200);
            assertThat(http.withApiKey("client-a").get("/retrain/abc").isProblem(404))
                    .isTrue();
            assertThat(http.withApiKey("admin-secret").get("/models").status()).isEqualTo(200);
            TestHttp.Response unauthorized = http.get("/recommend/u1");
            assertThat(unauthorized.json().path("type").asString()).isEqualTo("urn:mambarec:problem:unauthorized");
            // operations endpoints stay open for probes and scrapers
            assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
        }
    }

    @Nested
    @PostgresSpringBootTest
    class WithoutKeys {

        @LocalServerPort
        int port;

        @Test
        void adminEndpointsAreClosedWithoutAConfiguredKey() {
            TestHttp http = new TestHttp(port);
            assertThat(http.put("/items/x", "{}").isProblem(403)).isTrue();
            assertThat(http.withApiKey("anything").post("/retrain", "{}").isProblem(403))
                    .isTrue();
            assertThat(http.withApiKey("").post("/models/3/activate", null).isProblem(403))
                    .isTrue();
        }

        @Test
        void withoutClientKeysReadsAreOpenAndAnyKeyIsIgnored() {
            TestHttp http = new TestHttp(port);
            assertThat(http.get("/models").status()).isEqualTo(200);
            assertThat(http.withApiKey("whatever").get("/models").status()).isEqualTo(200);
        }

        @Test
        void unknownRoutesAndMethodsAreProblemDetails() {
            TestHttp http = new TestHttp(port);
            TestHttp.Response notFound = http.get("/no/such/route");
            assertThat(notFound.isProblem(404)).as(notFound.toString()).isTrue();
            assertThat(notFound.body()).doesNotContain("Exception", "trace");
        }
    }
}
