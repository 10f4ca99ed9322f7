package io.mambarec.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.util.UrlPathHelper;

/**
 * The security chain's answers as problem details: 401 (with {@code WWW-Authenticate}) for a
 * missing or unknown key, 403 for admin routes while no admin key is configured or for a client
 * key on an admin route, 400 for a request the firewall rejects (encoded traversal, NUL, ...).
 */
final class ApiKeyProblems implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private static final UrlPathHelper PATHS = new UrlPathHelper();
    private final ApiKeys keys;

    ApiKeyProblems(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (ApiRoutes.isAdmin(request) && !keys.adminConfigured()) {
            write(request, response, HttpStatus.FORBIDDEN, closed());
            return;
        }
        response.setHeader("WWW-Authenticate", "ApiKey header=\"" + ApiKeyAuthenticationFilter.HEADER + "\"");
        write(
                request,
                response,
                HttpStatus.UNAUTHORIZED,
                request.getHeader(ApiKeyAuthenticationFilter.HEADER) == null
                        ? "Missing " + ApiKeyAuthenticationFilter.HEADER + " header"
                        : "Invalid API key");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        write(
                request,
                response,
                HttpStatus.FORBIDDEN,
                keys.adminConfigured() ? "This API key may not call admin endpoints" : closed());
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST,
                "The request URL or a header is not acceptable (encoded separators, traversal, control characters)");
        ProblemResponses.write(response, problem);
    }

    private static String closed() {
        return "Admin endpoints are closed: no admin API key is configured (MAMBAREC_ADMIN_API_KEY)";
    }

    private static void write(
            HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setInstance(URI.create(PATHS.getPathWithinApplication(request)));
        ProblemResponses.write(response, problem);
    }
}
