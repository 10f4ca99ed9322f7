package io.mambarec.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The resolved hyper-parameters and settings of one run: every key a model declares, with its
 * default unless overridden. Unknown keys and ill-typed values are errors, never ignored.
 */
public final class Hyperparameters {

    private final Map<String, ParamSpec> specs;
    private final Map<String, Object> values;

    private Hyperparameters(Map<String, ParamSpec> specs, Map<String, Object> values) {
        this.specs = specs;
        this.values = values;
    }

    /** Resolves {@code overrides} (key to text value) against {@code specs}. */
    public static Hyperparameters resolve(List<ParamSpec> specs, Map<String, String> overrides) {
        Map<String, ParamSpec> byKey = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>();
        for (ParamSpec spec : specs) {
            byKey.put(spec.key(), spec);
            values.put(spec.key(), spec.defaultValue());
        }
        overrides.forEach((key, text) -> {
            ParamSpec spec = byKey.get(key);
            if (spec == null) {
                throw new IllegalArgumentException(
                        "unknown parameter '" + key + "'; known: " + String.join(", ", new TreeSet<>(byKey.keySet())));
            }
            values.put(key, spec.parse(text));
        });
        return new Hyperparameters(Collections.unmodifiableMap(byKey), Collections.unmodifiableMap(values));
    }

    /** Resolves typed values, as read back from a saved model's manifest. */
    public static Hyperparameters fromValues(List<ParamSpec> specs, Map<String, ?> saved) {
        Map<String, String> text = new LinkedHashMap<>();
        saved.forEach((k, v) -> text.put(k, String.valueOf(v)));
        return resolve(specs, text);
    }

    /** The same parameters with some values overridden. */
    public Hyperparameters with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>();
        values.forEach((k, v) -> merged.put(k, String.valueOf(v)));
        merged.putAll(overrides);
        return resolve(List.copyOf(specs.values()), merged);
    }

    public int getInt(String key) {
        return (Integer) require(key, ParamSpec.Type.INT);
    }

    public double getDouble(String key) {
        return (Double) require(key, ParamSpec.Type.DOUBLE);
    }

    public boolean getBoolean(String key) {
        return (Boolean) require(key, ParamSpec.Type.BOOLEAN);
    }

    private Object require(String key, ParamSpec.Type type) {
        ParamSpec spec = specs.get(key);
        if (spec == null || spec.type() != type) {
            throw new IllegalStateException("no " + type + " parameter '" + key + "' is declared");
        }
        return values.get(key);
    }

    /** Key to value, in declaration order (for result.json and the model registry). */
    public Map<String, Object> asMap() {
        return values;
    }

    public List<ParamSpec> specs() {
        return List.copyOf(specs.values());
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
