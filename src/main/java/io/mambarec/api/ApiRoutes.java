package io.mambarec.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import org.springframework.web.util.UrlPathHelper;

/**
 * Which API routes need which key (see {@link SecurityConfiguration}). Add a new resource's prefix here.
 * <ul>
 *   <li>admin: every write (not GET/HEAD/OPTIONS) under {@link #ADMIN_WRITE_PREFIXES};</li>
 *   <li>client: everything under {@link #CLIENT_PREFIXES}, reads of admin resources included,
 *   needs a client or the admin key once client keys are configured.</li>
 * </ul>
 * Everything else (actuator, the OpenAPI document) is open.
 */
public final class ApiRoutes {

    public static final List<String> ADMIN_WRITE_PREFIXES = List.of("/items", "/users", "/retrain", "/models");
    public static final List<String> CLIENT_PREFIXES =
            List.of("/recommend", "/interactions", "/items", "/users", "/retrain", "/models");
    private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final UrlPathHelper PATHS = new UrlPathHelper();

    private ApiRoutes() {}

    public static boolean isAdmin(HttpServletRequest request) {
        return isAdmin(request.getMethod(), PATHS.getPathWithinApplication(request));
    }

    public static boolean isClient(HttpServletRequest request) {
        return isClient(PATHS.getPathWithinApplication(request));
    }

    static boolean isAdmin(String method, String path) {
        return !READ_METHODS.contains(method) && ADMIN_WRITE_PREFIXES.stream().anyMatch(p -> underPrefix(path, p));
    }

    static boolean isClient(String path) {
        return CLIENT_PREFIXES.stream().anyMatch(p -> underPrefix(path, p));
    }

    private static boolean underPrefix(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
