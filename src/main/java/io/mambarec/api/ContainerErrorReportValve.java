package io.mambarec.api;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Tomcat's error report (the host-level HTML page for requests rejected before any servlet runs:
 * an undecodable or traversing URI, a URI or header over the size limits, a missing Host header)
 * replaced by a problem detail. Installed by {@link ContainerErrorCustomizer}.
 */
public final class ContainerErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(true);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        // the URI may be the malformed part: no instance
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail(status));
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(new String(ProblemResponses.toJson(problem), StandardCharsets.UTF_8));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response was committed meanwhile: nothing more to say
        }
    }

    static String detail(int status) {
        return switch (status) {
            case 400 -> "The request could not be parsed (request line, URI encoding or headers)";
            case 404 -> "No such resource";
            case 413 -> "The request body is too large";
            case 414 -> "The request URI is too long";
            case 431 -> "The request headers are too large";
            case 505 -> "HTTP version not supported";
            default -> {
                HttpStatus known = HttpStatus.resolve(status);
                yield known != null ? known.getReasonPhrase() : "HTTP " + status;
            }
        };
    }
}
