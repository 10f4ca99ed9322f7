package io.mambarec.model;

import java.util.Locale;

/**
 * One settable hyper-parameter or training setting: its key on the command line
 * ({@code --param key=value}), its type, its default, the values it accepts and what it means.
 */
public record ParamSpec(String key, Type type, Object defaultValue, Range range, String description) {

    public enum Type {
        INT,
        DOUBLE,
        BOOLEAN
    }

    /**
     * The values a numeric parameter accepts: a lower and an upper bound, each inclusive or not
     * (infinite: no bound on that side). Every numeric parameter has one, so that a value that would
     * fail later (a zero batch, a negative weight) or exhaust memory (a huge embedding) is refused
     * when it is given.
     */
    public record Range(double min, boolean minInclusive, double max, boolean maxInclusive) {

        public Range {
            if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
                throw new IllegalArgumentException("empty range [" + min + ", " + max + "]");
            }
        }

        /** {@code [min, max]}. */
        public static Range between(double min, double max) {
            return new Range(min, true, max, true);
        }

        /** {@code [min, infinity)}. */
        public static Range atLeast(double min) {
            return new Range(min, true, Double.POSITIVE_INFINITY, false);
        }

        /** {@code (min, infinity)}. */
        public static Range above(double min) {
            return new Range(min, false, Double.POSITIVE_INFINITY, false);
        }

        /** {@code (min, max]}. */
        public static Range aboveAndAtMost(double min, double max) {
            return new Range(min, false, max, true);
        }

        /** {@code [min, max)}. */
        public static Range atLeastAndBelow(double min, double max) {
            return new Range(min, true, max, false);
        }

        /** Any boolean: booleans have no range. */
        static final Range NONE = new Range(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);

        public boolean contains(double value) {
            boolean aboveMin = minInclusive ? value >= min : value > min;
            boolean belowMax = maxInclusive ? value <= max : value < max;
            return aboveMin && belowMax;
        }

        /** "between 1 and 1024", ">= 0", "> 0 and <= 1", ... */
        public String describe() {
            boolean lower = Double.isFinite(min);
            boolean upper = Double.isFinite(max);
            if (lower && upper && minInclusive && maxInclusive) {
                return "between " + number(min) + " and " + number(max);
            }
            String low = lower ? (minInclusive ? ">= " : "> ") + number(min) : "";
            String high = upper ? (maxInclusive ? "<= " : "< ") + number(max) : "";
            return low.isEmpty() ? high : high.isEmpty() ? low : low + " and " + high;
        }

        private static String number(double value) {
            return value == Math.rint(value) && Math.abs(value) < 1e15
                    ? String.format(Locale.ROOT, "%,d", (long) value)
                    : String.valueOf(value);
        }
    }

    public ParamSpec {
        if (type == Type.BOOLEAN ? range != Range.NONE : range == null || range == Range.NONE) {
            throw new IllegalArgumentException(
                    "parameter " + key + ": a numeric parameter needs a range, a boolean none");
        }
        if (type != Type.BOOLEAN && !range.contains(((Number) defaultValue).doubleValue())) {
            throw new IllegalArgumentException("parameter " + key + ": default " + defaultValue + " outside its range");
        }
    }

    public static ParamSpec ofInt(String key, int defaultValue, Range range, String description) {
        return new ParamSpec(key, Type.INT, defaultValue, range, description);
    }

    public static ParamSpec ofDouble(String key, double defaultValue, Range range, String description) {
        return new ParamSpec(key, Type.DOUBLE, defaultValue, range, description);
    }

    public static ParamSpec ofBoolean(String key, boolean defaultValue, String description) {
        return new ParamSpec(key, Type.BOOLEAN, defaultValue, Range.NONE, description);
    }

    /** Parses {@code text} as this parameter's type within its range, or explains why it cannot. */
    public Object parse(String text) {
        String t = text.trim();
        Object value;
        try {
            value = switch (type) {
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
            throw new IllegalArgumentException("parameter " + key + " takes "
                    + type.name().toLowerCase(Locale.ROOT) + " values, not '" + text + "'");
        }
        if (value instanceof Number n && !range.contains(n.doubleValue())) {
            throw new IllegalArgumentException("parameter " + key + " must be " + range.describe() + ", not " + t);
        }
        return value;
    }

    /** A default with a different value, for a model whose default differs from the common one. */
    public ParamSpec withDefault(Object value) {
        return new ParamSpec(key, type, value, range, description);
    }
}
