package io.mambarec.api;

import io.mambarec.registry.ModelIntegrityException;
import io.mambarec.registry.ModelMetrics;
import io.mambarec.registry.ModelRegistry;
import io.mambarec.registry.ServedModel;
import io.mambarec.registry.UnknownModelVersionException;
import io.mambarec.registry.VersionProvenance;
import io.mambarec.storage.ModelVersionSummary;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The model registry: {@code GET /models} lists every stored version with its metrics and
 * status; {@code POST /models/{version}/activate} (admin) serves a version (rollback), after
 * checking that it loads and that its parameters match their SHA-256.
 */
@RestController
@RequestMapping("/models")
public class ModelController {

    private final ModelRegistry registry;
    private final ServedModel served;

    public ModelController(ModelRegistry registry, ServedModel served) {
        this.registry = registry;
        this.served = served;
    }

    /**
     * One version. {@code status}: ACTIVE (the one every replica serves), INACTIVE, REJECTED (by
     * the quality gate); {@code served}: whether this replica serves it right now; {@code provenance}:
     * format version, seed, code version, training data fingerprint and settings.
     */
    public record ModelView(
            long version,
            String model,
            String status,
            boolean served,
            String source,
            UUID jobId,
            String sha256,
            Map<String, Double> valid,
            Map<String, Double> test,
            Map<String, Object> config,
            Instant createdAt,
            Instant activatedAt,
            VersionProvenance provenance) {}

    @Operation(summary = "Every stored model version with its metrics, configuration and status")
    @GetMapping
    public List<ModelView> list() {
        long servedVersion = served.servedVersion();
        return registry.list().stream().map(v -> view(v, servedVersion)).toList();
    }

    @Operation(summary = "One stored model version")
    @ApiResponse(responseCode = "200", description = "The version")
    @ApiResponse(responseCode = "404", description = "No such version")
    @GetMapping("/{version}")
    public ModelView get(@PathVariable String version) {
        return view(registry.get(parse(version)), served.servedVersion());
    }

    @Operation(
            summary = "Serve this version on every replica (admin; rollback)",
            description = "Loads and checks the version first: 409 when its parameters fail their SHA-256.")
    @ApiResponse(responseCode = "200", description = "Activated")
    @ApiResponse(responseCode = "404", description = "No such version")
    @ApiResponse(responseCode = "409", description = "The version's parameters fail their SHA-256")
    @PostMapping("/{version}/activate")
    public ModelView activate(@PathVariable String version) {
        long number = parse(version);
        registry.activate(number); // serves it here at once (ActiveVersionChanged); other replicas poll
        return view(registry.get(number), served.servedVersion());
    }

    private ModelView view(ModelVersionSummary v, long served) {
        ModelMetrics metrics = registry.metricsOf(v);
        return new ModelView(
                v.version(),
                v.modelName(),
                v.status().name(),
                v.version() == served,
                v.source().name(),
                v.jobId(),
                v.sha256(),
                metrics.valid(),
                metrics.test(),
                registry.configOf(v),
                v.createdAt(),
                v.activatedAt(),
                registry.provenanceOf(v));
    }

    private static long parse(String version) {
        try {
            return Long.parseLong(version);
        } catch (NumberFormatException e) {
            throw new UnknownModelVersionException(version);
        }
    }

    @ExceptionHandler(UnknownModelVersionException.class)
    ProblemDetail unknown(UnknownModelVersionException e) {
        return Problems.titled(HttpStatus.NOT_FOUND, "Unknown model version", e);
    }

    @ExceptionHandler(ModelIntegrityException.class)
    ProblemDetail integrity(ModelIntegrityException e) {
        return Problems.titled(HttpStatus.CONFLICT, "Model version cannot be served", e);
    }
}
