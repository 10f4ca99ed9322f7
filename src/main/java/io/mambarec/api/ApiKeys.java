package io.mambarec.api;

import io.mambarec.config.MambaRecProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * The configured keys as SHA-256 digests. A presented key is compared with every one of them in
 * constant time ({@link MessageDigest#isEqual}, no early exit), so timing reveals neither a key
 * nor which one matched.
 */
public final class ApiKeys {

    public enum Role {
        ADMIN,
        CLIENT
    }

    private final byte[] admin;
    private final List<byte[]> clients;

    public ApiKeys(MambaRecProperties.Security properties) {
        this.admin = properties.adminKeyConfigured()
                ? digest(properties.adminApiKey().trim())
                : null;
        this.clients = properties.clientKeys().stream().map(ApiKeys::digest).toList();
    }

    public boolean adminConfigured() {
        return admin != null;
    }

    public boolean clientKeysConfigured() {
        return !clients.isEmpty();
    }

    /** The role of a presented key, if it is one of the configured keys. */
    public Optional<Role> roleOf(String presented) {
        byte[] digest = digest(presented);
        boolean isAdmin = admin != null && MessageDigest.isEqual(admin, digest);
        boolean isClient = false;
        for (byte[] key : clients) {
            isClient |= MessageDigest.isEqual(key, digest);
        }
        return isAdmin ? Optional.of(Role.ADMIN) : isClient ? Optional.of(Role.CLIENT) : Optional.empty();
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
