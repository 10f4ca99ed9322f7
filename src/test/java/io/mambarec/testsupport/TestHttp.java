package io.mambarec.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small real-HTTP client for tests against the random port: {@code new TestHttp(port).get("/x")}.
 * Responses expose status, headers and the body parsed as JSON.
 */
public final class TestHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String apiKey;

    public TestHttp(int port) {
        this(port, null);
    }

    private TestHttp(int port, String apiKey) {
        this.base = "http://127.0.0.1:" + port;
        this.apiKey = apiKey;
    }

    /** The same client sending {@code X-API-Key: key} on every request. */
    public TestHttp withApiKey(String key) {
        return new TestHttp(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), key);
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response delete(String path) {
        return send("DELETE", path, null);
    }

    public Response post(String path, String jsonBody) {
        return send("POST", path, jsonBody);
    }

    public Response put(String path, String jsonBody) {
        return send("PUT", path, jsonBody);
    }

    /** Serialises {@code body} with Jackson. */
    public static String json(Object body) {
        return JSON.writeValueAsString(body);
    }

    public Response send(String method, String path, String jsonBody) {
        return send(method, path, jsonBody, "application/json");
    }

    /** Sends {@code body} (if not null) with the given content type (if not null). */
    public Response send(String method, String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (apiKey != null) {
            request.header("X-API-Key", apiKey);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + " interrupted", e);
        }
    }

    /** A response: status, content type, raw body and {@link #json()}. */
    public record Response(int status, String contentType, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        /** True for an RFC 9457 problem detail with this status. */
        public boolean isProblem(int expectedStatus) {
            return status == expectedStatus
                    && contentType.startsWith("application/problem+json")
                    && json().path("status").asInt() == expectedStatus
                    && json().hasNonNull("title");
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }
}
