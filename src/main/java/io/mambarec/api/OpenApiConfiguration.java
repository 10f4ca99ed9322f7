package io.mambarec.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document as the API behaves: the build's version, the {@code X-API-Key} scheme on
 * every operation that takes a key (per {@link ApiRoutes}), and on each operation the error
 * statuses it can answer, all with the problem-detail schema. Statuses that depend on the
 * operation's meaning (404, 409, 422) are declared on the controller methods; the ones that follow
 * from its shape are added here: 400 (parameters or a body), 401 (a key may be required), 403
 * (admin), 413 and 415 (a body), 503 (the database is unavailable).
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String PROBLEM = "Problem";
    static final String API_KEY = "ApiKey";

    @Bean
    OpenAPI mambarecOpenApi(ObjectProvider<BuildProperties> build) {
        BuildProperties properties = build.getIfAvailable();
        return new OpenAPI()
                .info(new Info()
                        .title("MambaRec Service API")
                        .version(properties != null ? properties.getVersion() : "development")
                        .description("Multimodal recommendations (MambaRec), interaction ingestion, catalogue and"
                                + " model registry. Every error is an RFC 9457 problem detail."))
                .components(new Components()
                        .addSecuritySchemes(
                                API_KEY,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name(ApiKeyAuthenticationFilter.HEADER)
                                        .description(
                                                "Admin key for writes under /items, /users, /retrain, /models; a client"
                                                        + " or the admin key for every other API route once client keys are configured"))
                        .addSchemas(PROBLEM, problemSchema()));
    }

    @Bean
    OpenApiCustomizer problemResponses() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths()
                    .forEach((path, item) ->
                            item.readOperationsMap().forEach((method, operation) -> describe(path, method, operation)));
        };
    }

    private static void describe(String path, PathItem.HttpMethod method, Operation operation) {
        ApiResponses responses = operation.getResponses() != null ? operation.getResponses() : new ApiResponses();
        operation.setResponses(responses);
        boolean admin = ApiRoutes.isAdmin(method.name(), path);
        boolean client = ApiRoutes.isClient(path);
        boolean hasBody = operation.getRequestBody() != null;
        boolean hasParameters =
                operation.getParameters() != null && !operation.getParameters().isEmpty();
        if (admin || client) {
            operation.addSecurityItem(new SecurityRequirement().addList(API_KEY));
            add(responses, "401", "No key, or an unknown key, where one is required");
            add(responses, "503", "The database is unavailable; retry later");
        }
        if (admin) {
            add(responses, "403", "Not the admin key, or no admin key is configured");
        }
        if (hasBody || hasParameters) {
            add(responses, "400", "Malformed or invalid input (see the problem's type, detail and errors)");
        }
        if (hasBody) {
            add(responses, "413", "The body is larger than mambarec.api.max-request-body");
            add(responses, "415", "The body is not application/json");
        }
        responses.forEach((status, response) -> {
            if (!status.startsWith("2")) {
                response.setContent(new Content()
                        .addMediaType(
                                "application/problem+json",
                                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
            }
        });
    }

    private static void add(ApiResponses responses, String status, String description) {
        if (!responses.containsKey(status)) {
            responses.addApiResponse(status, new ApiResponse().description(description));
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static Schema<?> problemSchema() {
        Schema problem = new ObjectSchema().description("RFC 9457 problem detail");
        problem.setProperties(new java.util.LinkedHashMap<>(Map.of(
                "type",
                        new StringSchema()
                                .description("urn:mambarec:problem:<kind>")
                                .example("urn:mambarec:problem:not-found"),
                "title", new StringSchema(),
                "status", new IntegerSchema(),
                "detail", new StringSchema(),
                "instance", new StringSchema())));
        problem.setAdditionalProperties(true);
        return problem;
    }
}
