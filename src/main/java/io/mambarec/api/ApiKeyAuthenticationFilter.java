package io.mambarec.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates header {@code X-API-Key} as {@code ROLE_ADMIN} or {@code ROLE_CLIENT}. A missing or
 * unknown key leaves the request anonymous; the authorization rules then decide (open routes stay
 * open, protected ones answer 401 through {@link ApiKeyProblems}).
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";

    private final ApiKeys keys;

    ApiKeyAuthenticationFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String presented = request.getHeader(HEADER);
        if (presented != null) {
            keys.roleOf(presented).ifPresent(role -> {
                var context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(new KeyAuthentication(role));
                SecurityContextHolder.setContext(context);
            });
        }
        chain.doFilter(request, response);
    }

    /** An authenticated key: its role only (the key itself is not kept). */
    static final class KeyAuthentication extends AbstractAuthenticationToken {

        private final ApiKeys.Role role;

        KeyAuthentication(ApiKeys.Role role) {
            super(List.of(new SimpleGrantedAuthority("ROLE_" + role.name())));
            this.role = role;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return role.name().toLowerCase(java.util.Locale.ROOT) + "-key";
        }
    }
}
