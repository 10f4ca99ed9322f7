package io.mambarec.api;

import io.mambarec.config.MambaRecProperties;
import jakarta.servlet.DispatcherType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

/**
 * The {@code X-API-Key} scheme on Spring Security: stateless, no sessions, no CSRF (no cookies are
 * used), no login forms; routes per {@link ApiRoutes}; answers per {@link ApiKeyProblems}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    ApiKeys apiKeys(MambaRecProperties properties) {
        return new ApiKeys(properties.security());
    }

    /** Also the {@code RequestRejectedHandler}: firewall rejections (encoded "/", "..", NUL, ...) as 400s. */
    @Bean
    ApiKeyProblems apiKeyProblems(ApiKeys keys) {
        return new ApiKeyProblems(keys);
    }

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeys keys, ApiKeyProblems problems) throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys), AuthorizationFilter.class)
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .authorizeHttpRequests(routes -> {
                    // the container's error dispatch renders an error already decided upstream
                    routes.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    routes.requestMatchers(ApiRoutes::isAdmin).hasRole(ApiKeys.Role.ADMIN.name());
                    if (keys.clientKeysConfigured()) {
                        routes.requestMatchers(ApiRoutes::isClient)
                                .hasAnyRole(ApiKeys.Role.CLIENT.name(), ApiKeys.Role.ADMIN.name());
                    }
                    routes.anyRequest().permitAll();
                });
        return http.build();
    }
}
