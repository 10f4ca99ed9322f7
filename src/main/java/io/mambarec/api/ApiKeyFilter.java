package io.mambarec.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;
import tools.jackson.databind.json.JsonMapper;

/**
 * API keys in header {@code X-API-Key}.
 * <ul>
 *   <li>Admin endpoints (any write on {@code /items}, {@code /retrain}, {@code /models}): need the
 *   admin key; without header or with a wrong key 401; with no admin key configured they stay
 *   closed (403). There is no default key.</li>
 *   <li>Client endpoints ({@code /recommend}, {@code /items/{id}/similar}, {@code /interactions}):
 *   open unless client keys are configured, then a client key (or the admin key) is required (401).</li>
 * </ul>
 * Keys are compared in constant time (SHA-256 digests compared with {@link MessageDigest#isEqual}).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class ApiKeyFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-API-Key";
    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final List<String> ADMIN_PREFIXES = List.of("/items", "/retrain", "/models");

    private final byte[] adminKeyDigest;
    private final List<byte[]> clientKeyDigests;
    private final JsonMapper json;
    private final UrlPathHelper paths = new UrlPathHelper();

    public ApiKeyFilter(SecurityProperties properties, JsonMapper json) {
        this.adminKeyDigest = properties.adminKeyConfigured() ? digest(properties.adminApiKey().trim()) : null;
        this.clientKeyDigests = properties.clientKeys().stream().map(ApiKeyFilter::digest).toList();
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = paths.getPathWithinApplication(request);
        String presented = request.getHeader(HEADER);
        if (isAdmin(request.getMethod(), path)) {
            if (adminKeyDigest == null) {
                reject(response, path, HttpStatus.FORBIDDEN,
                        "Admin endpoints are closed: no admin API key is configured (MAMBAREC_ADMIN_API_KEY)");
                return;
            }
            if (presented == null || !MessageDigest.isEqual(adminKeyDigest, digest(presented))) {
                reject(response, path, HttpStatus.UNAUTHORIZED,
                        presented == null ? "Missing " + HEADER + " header" : "Invalid API key");
                return;
            }
        } else if (isClient(path) && !clientKeyDigests.isEmpty()) {
            if (presented == null || !matchesClientKey(digest(presented))) {
                reject(response, path, HttpStatus.UNAUTHORIZED,
                        presented == null ? "Missing " + HEADER + " header" : "Invalid API key");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    static boolean isAdmin(String method, String path) {
        return !READ_METHODS.contains(method) && ADMIN_PREFIXES.stream().anyMatch(p -> underPrefix(path, p));
    }

    static boolean isClient(String path) {
        return underPrefix(path, "/recommend") || underPrefix(path, "/interactions") || underPrefix(path, "/items");
    }

    private static boolean underPrefix(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** Compares against every key (no early exit), so timing does not reveal which one matched. */
    private boolean matchesClientKey(byte[] presented) {
        boolean match = adminKeyDigest != null && MessageDigest.isEqual(adminKeyDigest, presented);
        for (byte[] key : clientKeyDigests) {
            match |= MessageDigest.isEqual(key, presented);
        }
        return match;
    }

    private void reject(HttpServletResponse response, String path, HttpStatus status, String detail)
            throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", path);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "ApiKey header=\"" + HEADER + "\"");
        }
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
