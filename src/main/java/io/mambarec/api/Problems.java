package io.mambarec.api;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * RFC 9457 problems the API raises; the global advice renders them like every other error.
 * Every problem carries a {@code type}: {@code urn:mambarec:problem:<slug>}, where the slug is a
 * specific kind ({@link #UNKNOWN_FIELD}, ...) or else the status's reason phrase
 * ({@code bad-request}, {@code not-found}, {@code content-too-large}, ...). The types are not
 * resolvable URLs (RFC 9457 allows that); docs/api.md lists them.
 */
public final class Problems {

    public static final String TYPE_PREFIX = "urn:mambarec:problem:";
    /** The body is not JSON (syntax), or has trailing content. */
    public static final String MALFORMED_JSON = "malformed-json";
    /** The body names a field the schema does not have. */
    public static final String UNKNOWN_FIELD = "unknown-field";
    /** A body field has the wrong JSON type (e.g. a number where a string belongs). */
    public static final String WRONG_TYPE = "wrong-type";
    /** Bean validation of the body or a parameter failed ({@code errors} lists each). */
    public static final String VALIDATION_FAILED = "validation-failed";

    private Problems() {}

    public static ErrorResponseException of(HttpStatus status, String detail) {
        return of(status, detail, Map.of());
    }

    /** A problem with extension members (e.g. the offending ids). */
    public static ErrorResponseException of(HttpStatus status, String detail, Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(typeFor(status));
        properties.forEach(problem::setProperty);
        return new ErrorResponseException(status, problem, null);
    }

    /** The body of an exception handler's answer: status, a short title and the exception's message. */
    public static ProblemDetail titled(HttpStatus status, String title, Exception cause) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, cause.getMessage());
        problem.setTitle(title);
        problem.setType(typeFor(status));
        return problem;
    }

    /** A problem of a specific kind (one of the constants above). */
    public static ProblemDetail typed(HttpStatusCode status, String kind, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(type(kind));
        return problem;
    }

    public static ErrorResponseException badRequest(String detail) {
        return of(HttpStatus.BAD_REQUEST, detail);
    }

    public static ErrorResponseException notFound(String detail) {
        return of(HttpStatus.NOT_FOUND, detail);
    }

    public static URI type(String kind) {
        return URI.create(TYPE_PREFIX + kind);
    }

    /** {@code urn:mambarec:problem:not-found} for 404, ... (the reason phrase, lower case, hyphenated). */
    public static URI typeFor(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        String slug = known == null
                ? "http-" + status.value()
                : known.getReasonPhrase().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return type(slug);
    }

    /** Fills a missing type (from the status) and title; what every answer goes through. */
    public static ProblemDetail complete(ProblemDetail problem) {
        if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
            problem.setType(typeFor(HttpStatusCode.valueOf(problem.getStatus())));
        }
        if (problem.getTitle() == null) {
            HttpStatus known = HttpStatus.resolve(problem.getStatus());
            problem.setTitle(known != null ? known.getReasonPhrase() : "HTTP " + problem.getStatus());
        }
        return problem;
    }
}
