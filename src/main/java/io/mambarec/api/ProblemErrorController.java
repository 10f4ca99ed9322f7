package io.mambarec.api;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Boot's whitelabel/JSON {@code /error} page: errors the servlet container forwards
 * (raised in filters, outside Spring MVC) are rendered as problem details. {@code /error} is not
 * an API route: requested directly it answers 404 like any unknown path.
 */
@Hidden
@RestController
public class ProblemErrorController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code == null) {
            ProblemDetail notFound = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "No such resource");
            notFound.setInstance(URI.create(request.getRequestURI()));
            return answer(notFound);
        }
        HttpStatus status = code instanceof Integer c && HttpStatus.resolve(c) != null
                ? HttpStatus.valueOf(c)
                : HttpStatus.INTERNAL_SERVER_ERROR;
        String detail = status.getReasonPhrase();
        if (status.is5xxServerError()) {
            Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
            log.error(
                    "Error {} on {}",
                    status.value(),
                    request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI),
                    failure instanceof Throwable t ? t : null);
            detail = "Internal error; it has been logged";
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String path) {
            try {
                problem.setInstance(URI.create(path));
            } catch (IllegalArgumentException e) {
                // a path that is no valid URI reference: leave the instance out
            }
        }
        return answer(problem);
    }

    private static ResponseEntity<ProblemDetail> answer(ProblemDetail problem) {
        Problems.complete(problem);
        return ResponseEntity.status(problem.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
