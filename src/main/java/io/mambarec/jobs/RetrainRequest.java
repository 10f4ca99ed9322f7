package io.mambarec.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /retrain}, every field optional:
 * {@code {"model": "...", "maxEpochs": N, "mmdWeight": x, "mmdBandwidth": x, "force": bool, "params": {...}}}.
 * {@code maxEpochs}, {@code mmdWeight} and {@code mmdBandwidth} are shorthands for the params
 * {@code max_epochs}, {@code mmd_weight} and {@code mmd_bandwidth}; {@code params} takes any key
 * the model declares. Read field by field so that a misspelt key or a wrong type is a 400, never
 * silently ignored.
 */
public record RetrainRequest(
        String model,
        Integer maxEpochs,
        Double mmdWeight,
        Double mmdBandwidth,
        boolean force,
        Map<String, String> params) {

    static final List<String> FIELDS = List.of("model", "maxEpochs", "mmdWeight", "mmdBandwidth", "force", "params");
    static final int MAX_EPOCHS_LIMIT = 10_000;

    public static RetrainRequest empty() {
        return new RetrainRequest(null, null, null, null, false, Map.of());
    }

    /** Parses and checks a JSON body (null: every default). Throws IllegalArgumentException on bad input. */
    public static RetrainRequest parse(Map<String, Object> body) {
        if (body == null) {
            return empty();
        }
        for (String key : body.keySet()) {
            if (!FIELDS.contains(key)) {
                throw new IllegalArgumentException("unknown field '" + key + "'; known: " + String.join(", ", FIELDS));
            }
        }
        String model = typed(body, "model", String.class);
        if (model != null && (model.isBlank() || model.length() > 32)) {
            throw new IllegalArgumentException("model must be a model name");
        }
        Integer maxEpochs = typed(body, "maxEpochs", Integer.class);
        if (maxEpochs != null && (maxEpochs < 1 || maxEpochs > MAX_EPOCHS_LIMIT)) {
            throw new IllegalArgumentException("maxEpochs must be between 1 and " + MAX_EPOCHS_LIMIT);
        }
        Number mmdWeight = typed(body, "mmdWeight", Number.class);
        if (mmdWeight != null && !(mmdWeight.doubleValue() >= 0 && Double.isFinite(mmdWeight.doubleValue()))) {
            throw new IllegalArgumentException("mmdWeight must be a finite number >= 0");
        }
        Number mmdBandwidth = typed(body, "mmdBandwidth", Number.class);
        if (mmdBandwidth != null && !(mmdBandwidth.doubleValue() > 0 && Double.isFinite(mmdBandwidth.doubleValue()))) {
            throw new IllegalArgumentException("mmdBandwidth must be a finite number > 0");
        }
        Boolean force = typed(body, "force", Boolean.class);
        Map<?, ?> rawParams = typed(body, "params", Map.class);
        Map<String, String> params = new LinkedHashMap<>();
        if (rawParams != null) {
            rawParams.forEach((key, value) -> {
                if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
                    throw new IllegalArgumentException("params." + key + " must be a number, boolean or string");
                }
                params.put(String.valueOf(key), String.valueOf(value));
            });
        }
        return new RetrainRequest(
                model,
                maxEpochs,
                mmdWeight == null ? null : mmdWeight.doubleValue(),
                mmdBandwidth == null ? null : mmdBandwidth.doubleValue(),
                Boolean.TRUE.equals(force),
                params);
    }

    /** The parameter overrides this request makes: {@code params} plus the shorthand fields. */
    public Map<String, String> overrides() {
        Map<String, String> overrides = new LinkedHashMap<>(params);
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

    private static <T> T typed(Map<String, Object> body, String key, Class<T> type) {
        Object value = body.get(key);
        if (value == null) {
            return null;
        }
        if (type == Integer.class && value instanceof Long) {
            throw new IllegalArgumentException(key + " is out of range");
        }
        if (!type.isInstance(value)) {
            String expected = type == Number.class
                    ? "a number"
                    : type == Integer.class
                            ? "an integer"
                            : type == Map.class
                                    ? "an object"
                                    : "a " + type.getSimpleName().toLowerCase();
            throw new IllegalArgumentException(key + " must be " + expected);
        }
        return type.cast(value);
    }
}
