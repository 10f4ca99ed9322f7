package io.mambarec.model;

/**
 * One settable hyper-parameter or training setting: its key on the command line
 * ({@code --param key=value}), its type, its default and what it means.
 */
public record ParamSpec(String key, Type type, Object defaultValue, String description) {

    public enum Type {
        INT,
        DOUBLE,
        BOOLEAN
    }

    public static ParamSpec ofInt(String key, int defaultValue, String description) {
        return new ParamSpec(key, Type.INT, defaultValue, description);
    }

    public static ParamSpec ofDouble(String key, double defaultValue, String description) {
        return new ParamSpec(key, Type.DOUBLE, defaultValue, description);
    }

    public static ParamSpec ofBoolean(String key, boolean defaultValue, String description) {
        return new ParamSpec(key, Type.BOOLEAN, defaultValue, description);
    }

    /** Parses {@code text} as this parameter's type, or explains why it cannot. */
    public Object parse(String text) {
        String t = text.trim();
        try {
            return switch (type) {
                case INT -> Integer.parseInt(t);
                case DOUBLE -> {
                    double d = Double.parseDouble(t);
                    if (!Double.isFinite(d)) {
                        throw new NumberFormatException();
                    }
                    yield d;
                }
                case BOOLEAN -> {
                    if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
                        throw new NumberFormatException();
                    }
                    yield Boolean.parseBoolean(t);
                }
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "parameter " + key + " takes " + type.name().toLowerCase() + " values, not '" + text + "'");
        }
    }

    /** A default with a different value, for a model whose default differs from the common one. */
    public ParamSpec withDefault(Object value) {
        return new ParamSpec(key, type, value, description);
    }
}
