package io.mambarec.api;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** RFC 9457 problems the API raises; the global advice renders them like every other error. */
public final class Problems {

    private Problems() {
    }

    public static ErrorResponseException of(HttpStatus status, String detail) {
        return of(status, detail, Map.of());
    }

    /** A problem with extension members (e.g. the offending ids). */
    public static ErrorResponseException of(HttpStatus status, String detail, Map<String, Object> properties) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        properties.forEach(problem::setProperty);
        return new ErrorResponseException(status, problem, null);
    }

    /** The body of an exception handler's answer: status, a short title and the exception's message. */
    public static ProblemDetail titled(HttpStatus status, String title, Exception cause) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, cause.getMessage());
        problem.setTitle(title);
        return problem;
    }

    public static ErrorResponseException badRequest(String detail) {
        return of(HttpStatus.BAD_REQUEST, detail);
    }

    public static ErrorResponseException notFound(String detail) {
        return of(HttpStatus.NOT_FOUND, detail);
    }
}
