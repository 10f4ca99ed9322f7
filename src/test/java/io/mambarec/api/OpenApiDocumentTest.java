package io.mambarec.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mambarec.testsupport.PostgresSpringBootTest;
import io.mambarec.testsupport.TestHttp;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document against the controllers it describes: the same operations (no more, no
 * fewer: no {@code /error}), each success status as the method answers it, the key scheme where
 * {@link ApiRoutes} requires a key, every error status with the problem-detail schema, and the
 * build's version.
 */
@PostgresSpringBootTest
class OpenApiDocumentTest {

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    BuildProperties build;

    /** "GET /recommend/{userId}" to the controller method, for every API controller. */
    Map<String, HandlerMethod> controllerOperations() {
        Map<String, HandlerMethod> operations = new TreeMap<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> e :
                mappings.getHandlerMethods().entrySet()) {
            if (!e.getValue().getBeanType().getPackageName().equals("io.mambarec.api")
                    || e.getValue().getBeanType() == ProblemErrorController.class) {
                continue;
            }
            for (String path : e.getKey().getPathPatternsCondition().getPatternValues()) {
                for (var method : e.getKey().getMethodsCondition().getMethods()) {
                    operations.put(method.name() + " " + path, e.getValue());
                }
            }
        }
        return operations;
    }

    @Test
    void theDocumentDescribesExactlyTheControllers() {
        JsonNode doc = new TestHttp(port).get("/v3/api-docs").json();
        assertThat(doc.path("info").path("title").asString()).isEqualTo("MambaRec Service API");
        assertThat(doc.path("info").path("version").asString()).isEqualTo(build.getVersion());
        assertThat(doc.path("components")
                        .path("securitySchemes")
                        .path(OpenApiConfiguration.API_KEY)
                        .path("name")
                        .asString())
                .isEqualTo("X-API-Key");

        Map<String, JsonNode> documented = new TreeMap<>();
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                documented.put(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue());
            }
        }
        Map<String, HandlerMethod> controllers = controllerOperations();
        assertThat(documented.keySet()).isEqualTo(controllers.keySet());
        assertThat(documented.keySet()).noneMatch(k -> k.contains("/error"));

        controllers.forEach((key, handler) -> {
            JsonNode operation = documented.get(key);
            String method = key.substring(0, key.indexOf(' '));
            String path = key.substring(key.indexOf(' ') + 1);
            Set<String> statuses = new TreeSet<>();
            operation.path("responses").propertyNames().forEach(statuses::add);
            Set<String> success =
                    statuses.stream().filter(s -> s.startsWith("2")).collect(Collectors.toCollection(TreeSet::new));
            assertThat(success).as(key).isEqualTo(successStatuses(handler.getMethod()));

            boolean admin = ApiRoutes.isAdmin(method, path);
            boolean keyed = admin || ApiRoutes.isClient(path);
            assertThat(operation.has("security")).as(key + " security").isEqualTo(keyed);
            assertThat(statuses.contains("401")).as(key + " 401").isEqualTo(keyed);
            assertThat(statuses.contains("403")).as(key + " 403").isEqualTo(admin);
            boolean inputs = operation.has("requestBody")
                    || !operation.path("parameters").isEmpty();
            assertThat(statuses.contains("400")).as(key + " 400").isEqualTo(inputs);
            assertThat(statuses.contains("415")).as(key + " 415").isEqualTo(operation.has("requestBody"));

            for (String status : statuses) {
                if (!status.startsWith("2")) {
                    assertThat(operation
                                    .path("responses")
                                    .path(status)
                                    .path("content")
                                    .path("application/problem+json")
                                    .path("schema")
                                    .path("$ref")
                                    .asString())
                            .as(key + " " + status)
                            .isEqualTo("#/components/schemas/" + OpenApiConfiguration.PROBLEM);
                }
            }
        });
    }

    /** @ResponseStatus, else the 2xx codes declared with @ApiResponse (needed for ResponseEntity), else 200. */
    static Set<String> successStatuses(Method method) {
        ResponseStatus status = AnnotatedElementUtils.findMergedAnnotation(method, ResponseStatus.class);
        if (status != null) {
            return Set.of(String.valueOf(status.code().value()));
        }
        Set<String> declared = Arrays.stream(
                        method.getAnnotationsByType(io.swagger.v3.oas.annotations.responses.ApiResponse.class))
                .map(io.swagger.v3.oas.annotations.responses.ApiResponse::responseCode)
                .filter(c -> c.startsWith("2"))
                .collect(Collectors.toCollection(TreeSet::new));
        if (ResponseEntity.class.isAssignableFrom(method.getReturnType())) {
            assertThat(declared)
                    .as(method + " returns a ResponseEntity: declare its 2xx statuses")
                    .isNotEmpty();
        }
        return declared.isEmpty() ? Set.of("200") : declared;
    }
}
