package io.mambarec.jobs;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of {@code POST /retrain}, every field optional. {@code model} names a model or
 * {@code auto} (MambaRec tuned by validation within {@code budgetMinutes}); {@code maxEpochs},
 * {@code mmdWeight} and {@code mmdBandwidth} are shorthands for the params {@code max_epochs},
 * {@code mmd_weight} and {@code mmd_bandwidth}; {@code params} takes any key the model declares,
 * each checked against its range when the request is resolved. The API's strict JSON reading makes
 * a misspelt field or a wrong type a 400; the constraints here make a value out of range one.
 */
public record RetrainRequest(
        @Pattern(regexp = "[A-Za-z0-9_-]{1,32}", message = "must be a model name")
        String model,

        @Min(1) @Max(MAX_EPOCHS_LIMIT) Integer maxEpochs,
        @PositiveOrZero Double mmdWeight,
        @Positive Double mmdBandwidth,
        Boolean force,
        Map<String, Object> params,
        @Min(1) @Max(MAX_BUDGET_MINUTES) Integer budgetMinutes) {

    static final int MAX_EPOCHS_LIMIT = 10_000;
    /** A day: a longer search is a mistake more often than a plan. */
    static final int MAX_BUDGET_MINUTES = 1440;

    public static RetrainRequest empty() {
        return new RetrainRequest(null, null, null, null, null, null, null);
    }

    /** True when the quality gate is to be overridden. */
    public boolean forced() {
        return Boolean.TRUE.equals(force);
    }

    /**
     * The parameter overrides this request makes, as text: {@code params} plus the shorthand fields.
     * Throws IllegalArgumentException for a parameter value that is not a number, boolean or string.
     */
    public Map<String, String> overrides() {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (params != null) {
            params.forEach((key, value) -> {
                if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                    throw new IllegalArgumentException("params." + key + " must be a number, boolean or string");
                }
                overrides.put(key, String.valueOf(value));
            });
        }
        if (maxEpochs != null) {
            overrides.put("max_epochs", String.valueOf(maxEpochs));
        }
        if (mmdWeight != null) {
            overrides.put("mmd_weight", String.valueOf(mmdWeight));
        }
        if (mmdBandwidth != null) {
            overrides.put("mmd_bandwidth", String.valueOf(mmdBandwidth));
        }
        return overrides;
    }
}
