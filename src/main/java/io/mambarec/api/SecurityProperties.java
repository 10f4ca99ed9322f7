package io.mambarec.api;

import java.util.Arrays;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code mambarec.security.*}: the admin key (env {@code MAMBAREC_ADMIN_API_KEY}) and optional
 * comma-separated client keys (env {@code MAMBAREC_CLIENT_API_KEYS}). Blank means not configured.
 */
@ConfigurationProperties("mambarec.security")
public record SecurityProperties(String adminApiKey, String clientApiKeys) {

    public boolean adminKeyConfigured() {
        return adminApiKey != null && !adminApiKey.isBlank();
    }

    public List<String> clientKeys() {
        return clientApiKeys == null
                ? List.of()
                : Arrays.stream(clientApiKeys.split(","))
                        .map(String::trim)
                        .filter(k -> !k.isEmpty())
                        .toList();
    }
}
