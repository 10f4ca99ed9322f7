package io.mambarec.api;

import io.mambarec.storage.InteractionStore.UnknownItemsException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error leaves the service as an RFC 9457 problem detail ({@code application/problem+json}):
 * Spring MVC's own exceptions (malformed JSON, type mismatch, validation, 404 routes, 405, 415...),
 * {@link org.springframework.web.ErrorResponseException}s thrown by controllers (including
 * {@code ResponseStatusException}), bean validation, and, as a last resort, unexpected failures
 * (500 without internals; logged here).
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<String> errors = ex.getBindingResult().getAllErrors().stream()
                .map(e ->
                        e instanceof FieldError f ? f.getField() + ": " + f.getDefaultMessage() : e.getDefaultMessage())
                .sorted()
                .toList();
        ProblemDetail problem =
                Problems.typed(status, Problems.VALIDATION_FAILED, "Invalid request: " + String.join("; ", errors));
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<String> errors = ex.getParameterValidationResults().stream()
                .flatMap(r -> r.getResolvableErrors().stream().map(e -> where(r, e) + ": " + e.getDefaultMessage()))
                .sorted()
                .toList();
        ProblemDetail problem = Problems.typed(
                HttpStatus.BAD_REQUEST, Problems.VALIDATION_FAILED, "Invalid request: " + String.join("; ", errors));
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** e.g. {@code k}, or {@code events[3].userId} for a field of an element of a validated list. */
    private static String where(ParameterValidationResult r, MessageSourceResolvable error) {
        String name = r.getMethodParameter().getParameterName();
        StringBuilder where = new StringBuilder(
                name != null ? name : "argument " + r.getMethodParameter().getParameterIndex());
        if (r.getContainerIndex() != null) {
            where.append('[').append(r.getContainerIndex()).append(']');
        }
        if (error instanceof FieldError field) {
            where.append('.').append(field.getField());
        }
        return where.toString();
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = BodyProblems.of(ex);
        return handleExceptionInternal(ex, problem, headers, HttpStatusCode.valueOf(problem.getStatus()), request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String name = ex.getPropertyName() != null ? ex.getPropertyName() : "a parameter";
        ProblemDetail problem = Problems.typed(
                status, Problems.WRONG_TYPE, "'" + name + "' must be " + BodyProblems.describe(ex.getRequiredType()));
        return handleExceptionInternal(ex, problem, headers, status, request);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<Object> constraintViolation(ConstraintViolationException ex, WebRequest request) {
        List<String> errors = ex.getConstraintViolations().stream()
                .map(v -> v.getPropertyPath() + ": " + v.getMessage())
                .sorted()
                .toList();
        ProblemDetail problem = Problems.typed(
                HttpStatus.BAD_REQUEST, Problems.VALIDATION_FAILED, "Invalid request: " + String.join("; ", errors));
        problem.setProperty("errors", errors);
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
    }

    @ExceptionHandler(UnknownItemsException.class)
    ResponseEntity<Object> unknownItems(UnknownItemsException ex, WebRequest request) {
        List<String> items = ex.itemIds();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.UNPROCESSABLE_CONTENT,
                items.size() + " unknown item(s); nothing was stored: "
                        + String.join(", ", items.subList(0, Math.min(10, items.size())))
                        + (items.size() > 10 ? ", ..." : ""));
        problem.setProperty("unknownItems", items.subList(0, Math.min(100, items.size())));
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.UNPROCESSABLE_CONTENT, request);
    }

    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
    ResponseEntity<Object> databaseUnavailable(Exception ex, WebRequest request) {
        log.warn("Database unavailable: {}", ex.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE, "The database is unavailable; retry later");
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.SERVICE_UNAVAILABLE, request);
    }

    /** Last resort: a bug or an unexpected failure. The body names no internals. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception ex, WebRequest request) throws Exception {
        if (ex instanceof ErrorResponse error) {
            return handleExceptionInternal(ex, error.getBody(), error.getHeaders(), error.getStatusCode(), request);
        }
        log.error("Unexpected error on {}", describe(request), ex);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.INTERNAL_SERVER_ERROR, "Internal error; it has been logged");
        return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.INTERNAL_SERVER_ERROR, request);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(ex, body, headers, statusCode, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem) {
            Problems.complete(problem);
            if (problem.getInstance() == null && request instanceof ServletWebRequest servlet) {
                try {
                    problem.setInstance(java.net.URI.create(servlet.getRequest().getRequestURI()));
                } catch (IllegalArgumentException e) {
                    // not a valid URI reference: leave the instance out
                }
            }
            HttpHeaders out = new HttpHeaders();
            out.putAll(response.getHeaders());
            out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
            return new ResponseEntity<>(problem, out, response.getStatusCode());
        }
        return response;
    }

    private static String describe(WebRequest request) {
        if (request instanceof ServletWebRequest servlet) {
            HttpServletRequest r = servlet.getRequest();
            return r.getMethod() + " " + r.getRequestURI();
        }
        return request.getDescription(false);
    }
}
