package io.mambarec.storage;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * A shop's view of the catalogue: each item's title, description, categories, stock flag and
 * retirement, read and changed without touching its feature vectors. Every change announces
 * itself to all replicas ({@link InteractionChangeFeed#RULES}, delivered at commit).
 */
@Repository
public class ItemMetadataStore {

    private final JdbcTemplate jdbc;

    public ItemMetadataStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The shop's fields of an item (title and description may be null). */
    public record ItemMetadata(String title, String description, List<String> categories, boolean available) {}

    /** One item as GET /items/{id} shows it; {@code features} by modality (given, computed or imputed). */
    public record ItemDetails(
            long id,
            String externalId,
            ItemMetadata metadata,
            boolean retired,
            Instant createdAt,
            Instant updatedAt,
            Map<String, float[]> features,
            Map<String, String> origins) {}

    /** What serving needs to filter an item: stock, retirement, categories, age. */
    public record ItemRule(
            long id,
            String externalId,
            boolean available,
            boolean retired,
            List<String> categories,
            Instant createdAt) {

        public boolean eligible() {
            return available && !retired;
        }
    }

    /** Cheap change detector of the rules: (items, latest metadata change). */
    public record RulesVersion(long items, Instant lastChange) {}

    /** A PATCH: null fields are left as they are. */
    public record MetadataPatch(String title, String description, List<String> categories, Boolean available) {}

    /** Writes the metadata of an item created or updated in the same transaction (un-retires it). */
    static void write(JdbcTemplate jdbc, long itemId, ItemMetadata metadata) {
        jdbc.update(con -> {
            var ps = con.prepareStatement("UPDATE item SET title = ?, description = ?, categories = ?, available = ?,"
                    + " retired_at = NULL, metadata_updated_at = clock_timestamp() WHERE id = ?");
            ps.setString(1, metadata.title());
            ps.setString(2, metadata.description());
            ps.setArray(3, con.createArrayOf("text", metadata.categories().toArray()));
            ps.setBoolean(4, metadata.available());
            ps.setLong(5, itemId);
            return ps;
        });
    }

    public Optional<ItemDetails> find(String externalId) {
        List<ItemDetails> found = jdbc.query(
                "SELECT id, external_id, title, description, categories, available,"
                        + " retired_at IS NOT NULL, created_at, greatest(updated_at, metadata_updated_at) FROM item"
                        + " WHERE external_id = ?",
                (rs, n) -> new ItemDetails(
                        rs.getLong(1),
                        rs.getString(2),
                        new ItemMetadata(rs.getString(3), rs.getString(4), strings(rs.getArray(5)), rs.getBoolean(6)),
                        rs.getBoolean(7),
                        rs.getTimestamp(8).toInstant(),
                        rs.getTimestamp(9).toInstant(),
                        new LinkedHashMap<>(),
                        new LinkedHashMap<>()),
                externalId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ItemDetails item = found.get(0);
        jdbc.query(
                "SELECT f.modality, f.vector, f.origin FROM item_feature f JOIN modality m ON m.name = f.modality"
                        + " WHERE f.item_id = ? ORDER BY m.slot",
                (ResultSet rs) -> {
                    item.features().put(rs.getString(1), CatalogueStore.toFloats(rs.getArray(2)));
                    item.origins().put(rs.getString(1), rs.getString(3));
                },
                item.id());
        return Optional.of(item);
    }

    /** Applies a PATCH; false when there is no such item. */
    @Transactional
    public boolean patch(String externalId, MetadataPatch patch) {
        int rows = jdbc.update(con -> {
            var ps = con.prepareStatement(
                    "UPDATE item SET title = coalesce(?, title), description = coalesce(?, description),"
                            + " categories = coalesce(?, categories), available = coalesce(?, available),"
                            + " metadata_updated_at = clock_timestamp() WHERE external_id = ?");
            ps.setString(1, patch.title());
            ps.setString(2, patch.description());
            ps.setArray(
                    3,
                    patch.categories() == null
                            ? null
                            : con.createArrayOf("text", patch.categories().toArray()));
            ps.setObject(4, patch.available());
            ps.setString(5, externalId);
            return ps;
        });
        if (rows > 0) {
            InteractionChangeFeed.announceRules(jdbc);
        }
        return rows > 0;
    }

    /** Retires an item (kept with its interactions, never served again); false when there is no such item. */
    @Transactional
    public boolean retire(String externalId) {
        int rows = jdbc.update(
                "UPDATE item SET retired_at = coalesce(retired_at, clock_timestamp()),"
                        + " metadata_updated_at = clock_timestamp() WHERE external_id = ?",
                externalId);
        if (rows > 0) {
            InteractionChangeFeed.announceRules(jdbc);
        }
        return rows > 0;
    }

    public List<ItemRule> rules() {
        return jdbc.query(RULES + " ORDER BY id", (rs, n) -> rule(rs));
    }

    /** One item's rule, or empty if there is no such item. */
    public Optional<ItemRule> rule(String externalId) {
        return jdbc.query(RULES + " WHERE external_id = ?", (rs, n) -> rule(rs), externalId).stream()
                .findFirst();
    }

    private static final String RULES =
            "SELECT id, external_id, available, retired_at IS NOT NULL, categories, created_at FROM item";

    private static ItemRule rule(ResultSet rs) throws SQLException {
        return new ItemRule(
                rs.getLong(1),
                rs.getString(2),
                rs.getBoolean(3),
                rs.getBoolean(4),
                strings(rs.getArray(5)),
                rs.getTimestamp(6).toInstant());
    }

    public RulesVersion rulesVersion() {
        return jdbc.queryForObject(
                "SELECT count(*), max(metadata_updated_at) FROM item",
                (rs, n) -> new RulesVersion(
                        rs.getLong(1),
                        rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant()));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
