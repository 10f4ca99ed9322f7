package io.mambarec.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Erasure of a user (the right to be forgotten): their interactions and their row are deleted in
 * one transaction, which also writes the audit row (table {@code user_erasure}: the SHA-256 of
 * the id, not the id, the number of events deleted, who asked, when) and tells every replica at
 * commit ({@link InteractionChangeFeed#announceErased}).
 */
@Repository
public class UserErasureStore {

    private final JdbcTemplate jdbc;

    public UserErasureStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** What an erasure removed. */
    public record Erasure(boolean userExisted, int eventsDeleted, String subjectSha256) {}

    @Transactional
    public Erasure erase(String userExternalId, String requestedBy) {
        String subject = subjectHash(userExternalId);
        int events = jdbc.update(
                "DELETE FROM interaction WHERE user_id IN (SELECT id FROM app_user WHERE external_id = ?)",
                userExternalId);
        int users = jdbc.update("DELETE FROM app_user WHERE external_id = ?", userExternalId);
        jdbc.update(
                "INSERT INTO user_erasure (subject_sha256, events_deleted, requested_by) VALUES (?, ?, ?)",
                subject,
                events,
                requestedBy);
        InteractionChangeFeed.announceErased(jdbc, List.of(userExternalId));
        return new Erasure(users > 0, events, subject);
    }

    /** The SHA-256 (hex) of every erased id. */
    public Set<String> erasedSubjects() {
        return new HashSet<>(jdbc.queryForList("SELECT DISTINCT subject_sha256 FROM user_erasure", String.class));
    }

    /** SHA-256 of the id, hex: what the audit log keeps instead of the id. */
    public static String subjectHash(String userExternalId) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256")
                            .digest(userExternalId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
