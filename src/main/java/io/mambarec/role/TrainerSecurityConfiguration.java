package io.mambarec.role;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A trainer has no REST API (the {@code api} package, with its API-key scheme, is not scanned): its
 * port answers actuator's endpoints, which expose no data and are what probes and Prometheus
 * read, and refuses everything else. Without this chain Spring Security's default would lock the
 * probes out.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RoleConditions.TrainerOnly.class)
public class TrainerSecurityConfiguration {

    @Bean
    SecurityFilterChain trainerSecurity(HttpSecurity http) throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(routes -> routes.requestMatchers("/actuator/**", "/error")
                        .permitAll()
                        .anyRequest()
                        .denyAll());
        return http.build();
    }
}
