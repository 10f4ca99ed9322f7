package io.mambarec.api;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Why a request body could not be read, in the client's terms: where in the document
 * ({@code $[0].userId}, JSONPath style), what was expected as a JSON type, never a Java name.
 */
final class BodyProblems {

    private BodyProblems() {}

    static ProblemDetail of(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getMostSpecificCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            String at = path(unknown);
            ProblemDetail problem = Problems.typed(
                    HttpStatus.BAD_REQUEST,
                    Problems.UNKNOWN_FIELD,
                    "Unknown field '" + unknown.getPropertyName() + "' at " + at
                            + knownFields(unknown.getKnownPropertyIds()));
            problem.setProperty("field", unknown.getPropertyName());
            problem.setProperty("at", at);
            return problem;
        }
        if (cause instanceof MismatchedInputException mismatch
                && !mismatch.getPath().isEmpty()) {
            String at = path(mismatch);
            ProblemDetail problem = Problems.typed(
                    HttpStatus.BAD_REQUEST, Problems.WRONG_TYPE, at + " must be " + describe(mismatch.getTargetType()));
            problem.setProperty("at", at);
            return problem;
        }
        if (cause instanceof MismatchedInputException mismatch) {
            return Problems.typed(
                    HttpStatus.BAD_REQUEST,
                    Problems.WRONG_TYPE,
                    "The body must be " + describe(mismatch.getTargetType()));
        }
        if (cause instanceof StreamReadException syntax) {
            return Problems.typed(
                    HttpStatus.BAD_REQUEST,
                    Problems.MALFORMED_JSON,
                    "Malformed JSON" + location(syntax) + ": " + syntaxMessage(syntax));
        }
        if (cause instanceof JacksonException json) {
            return Problems.typed(HttpStatus.BAD_REQUEST, Problems.MALFORMED_JSON, "Malformed JSON" + location(json));
        }
        String message = ex.getMessage();
        return ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST,
                message != null && message.startsWith("Required request body is missing")
                        ? "Required request body is missing"
                        : "Malformed request body");
    }

    /** A JSON type as a client knows it. */
    static String describe(Class<?> type) {
        if (type == null) {
            return "of another JSON type";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Instant.class) {
            return "an ISO-8601 timestamp string such as \"2025-01-01T12:00:00Z\"";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class
                || type == long.class
                || type == Integer.class
                || type == Long.class
                || type == short.class
                || type == Short.class) {
            return "an integer";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of "
                    + new TreeSet<>(java.util.Arrays.stream(type.getEnumConstants())
                            .map(Object::toString)
                            .toList());
        }
        return "an object" + (Map.class.isAssignableFrom(type) ? "" : " with the documented fields");
    }

    /** {@code $}, {@code $[3].userId}, {@code $.features.image[2]}. */
    static String path(JacksonException ex) {
        StringBuilder at = new StringBuilder("$");
        for (JacksonException.Reference ref : ex.getPath()) {
            if (ref.getPropertyName() != null) {
                at.append('.').append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                at.append('[').append(ref.getIndex()).append(']');
            }
        }
        return at.toString();
    }

    private static String knownFields(Collection<Object> known) {
        if (known == null || known.isEmpty()) {
            return "";
        }
        return "; known fields: "
                + String.join(
                        ", ", new TreeSet<>(known.stream().map(String::valueOf).toList()));
    }

    private static String location(JacksonException ex) {
        return ex.getLocation() != null && ex.getLocation().getLineNr() > 0
                ? " at line " + ex.getLocation().getLineNr() + ", column "
                        + ex.getLocation().getColumnNr()
                : "";
    }

    /** Jackson's syntax message without its hints at parser features or class names. */
    static String syntaxMessage(StreamReadException ex) {
        String message = ex.getOriginalMessage();
        if (message == null) {
            return "unreadable";
        }
        int cut = message.indexOf('\n');
        message = cut > 0 ? message.substring(0, cut) : message;
        message = message.replaceAll("\\s*\\(start marker at.*$", "")
                .replaceAll("\\s*at \\[Source.*$", "")
                .replaceAll(":?\\s*(enable|disable)\\s+`?[A-Za-z.]*Feature[A-Za-z_.]*`?.*$", "")
                .replaceAll("\\(class [^)]*\\)", "")
                .replaceAll("`[a-z]+(\\.[a-zA-Z0-9_$]+)+`", "value")
                .strip();
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }
}
