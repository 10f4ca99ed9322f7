package io.mambarec.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.TestHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With tracing switched on (it is off by default), request spans reach an OTLP/HTTP endpoint: here
 * a loopback receiver that records what is posted to {@code /v1/traces}.
 */
@PostgresSpringBootTest(
        properties = {
            "management.tracing.export.enabled=true",
            "management.tracing.sampling.probability=1.0",
            "management.opentelemetry.tracing.export.schedule-delay=200ms"
        })
class TracingExportTest {

    static final List<String> POSTS = new CopyOnWriteArrayList<>();
    static final HttpServer COLLECTOR = collector();

    @LocalServerPort
    int port;

    static HttpServer collector() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/v1/traces", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                POSTS.add(exchange.getRequestHeaders().getFirst("Content-Type") + " " + body.length);
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void endpoint(DynamicPropertyRegistry registry) {
        registry.add(
                "management.opentelemetry.tracing.export.otlp.endpoint",
                () -> "http://127.0.0.1:" + COLLECTOR.getAddress().getPort() + "/v1/traces");
    }

    @AfterAll
    static void stop() {
        COLLECTOR.stop(0);
    }

    @Test
    void requestSpansAreExportedOverOtlp() {
        new TestHttp(port).get("/models");
        await("a span posted to the collector")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !POSTS.isEmpty());
        assertThat(POSTS.get(0)).startsWith("application/x-protobuf");
    }
}
