package io.mambarec.storage;

import io.mambarec.data.Dataset;
import io.mambarec.data.FeatureMatrix;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The catalogue (modalities, items, feature vectors) through plain SQL where volume matters:
 * bulk import and the full reload that serving keeps in memory.
 */
@Repository
public class CatalogueStore {

    /** Rows per INSERT ... SELECT FROM unnest(...) statement in bulk paths. */
    static final int CHUNK = 2000;
    /** Advisory lock key of the start-up import ("MRimport"). */
    private static final long IMPORT_LOCK = 0x4d52696d706f7274L;

    private final JdbcTemplate jdbc;

    public CatalogueStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A modality as stored: name, dimension, slot. */
    public record ModalitySpec(String name, int dim, int slot) {}

    /** One item with its raw feature vectors (in modality slot order; null where missing). */
    public record StoredItem(long id, String externalId, Instant updatedAt, float[][] features) {}

    /** Cheap change detector: (number of items, latest update). */
    public record CatalogueVersion(long items, Instant lastUpdate) {}

    public List<ModalitySpec> modalities() {
        return jdbc.query(
                "SELECT name, dim, slot FROM modality ORDER BY slot",
                (rs, n) -> new ModalitySpec(rs.getString(1), rs.getInt(2), rs.getInt(3)));
    }

    public long itemCount() {
        return jdbc.queryForObject("SELECT count(*) FROM item", Long.class);
    }

    public CatalogueVersion version() {
        return jdbc.queryForObject(
                "SELECT count(*), max(updated_at) FROM item",
                (rs, n) -> new CatalogueVersion(rs.getLong(1), toInstant(rs, 2)));
    }

    /** Every item with its features, ordered by surrogate id (import order). */
    @Transactional(readOnly = true)
    public List<StoredItem> loadItems() {
        List<ModalitySpec> modalities = modalities();
        Map<String, Integer> slotOf = new LinkedHashMap<>();
        for (int m = 0; m < modalities.size(); m++) {
            slotOf.put(modalities.get(m).name(), m);
        }
        List<StoredItem> items = new ArrayList<>();
        Map<Long, StoredItem> byId = new java.util.HashMap<>();
        jdbc.query("SELECT id, external_id, updated_at FROM item ORDER BY id", rs -> {
            StoredItem item =
                    new StoredItem(rs.getLong(1), rs.getString(2), toInstant(rs, 3), new float[modalities.size()][]);
            items.add(item);
            byId.put(item.id(), item);
        });
        jdbc.query("SELECT item_id, modality, vector FROM item_feature", rs -> {
            StoredItem item = byId.get(rs.getLong(1));
            Integer slot = slotOf.get(rs.getString(2));
            if (item != null && slot != null) {
                item.features()[slot] = toFloats(rs.getArray(3));
            }
        });
        return items;
    }

    /**
     * An item to store: its vectors by modality, where each came from ({@code origins}: "given" when
     * absent, "computed", "imputed") and its shop metadata (null: left as it is).
     */
    public record NewItem(
            String externalId,
            Map<String, float[]> features,
            Map<String, String> origins,
            ItemMetadataStore.ItemMetadata metadata) {}

    /** Stores every item in one transaction (all or nothing); results in input order. */
    @Transactional
    public List<UpsertedItem> upsertItems(List<NewItem> items) {
        List<UpsertedItem> stored = new ArrayList<>(items.size());
        for (NewItem item : items) {
            stored.add(upsert(item));
        }
        if (items.stream().anyMatch(i -> i.metadata() != null)) {
            InteractionChangeFeed.announceRules(jdbc);
        }
        return stored;
    }

    private UpsertedItem upsert(NewItem item) {
        UpsertedItem result = jdbc.queryForObject(
                "INSERT INTO item (external_id) VALUES (?) ON CONFLICT (external_id) DO UPDATE SET updated_at = clock_timestamp()"
                        + " RETURNING id, (xmax = 0)",
                (rs, n) -> new UpsertedItem(rs.getLong(1), rs.getBoolean(2)),
                item.externalId());
        item.features()
                .forEach((modality, vector) -> jdbc.update(
                        "INSERT INTO item_feature (item_id, modality, vector, origin) VALUES (?, ?, ?::real[], ?)"
                                + " ON CONFLICT (item_id, modality) DO UPDATE SET vector = EXCLUDED.vector, origin = EXCLUDED.origin",
                        result.id(),
                        modality,
                        vectorLiteral(vector),
                        item.origins().getOrDefault(modality, "given")));
        if (item.metadata() != null) {
            ItemMetadataStore.write(jdbc, result.id(), item.metadata());
        }
        return result;
    }

    public record UpsertedItem(long id, boolean created) {}

    /** Where the catalogue came from. */
    public record DatasetOrigin(String name, boolean synthetic, String origin, Instant importedAt) {}

    public java.util.Optional<DatasetOrigin> source() {
        return jdbc
                .query(
                        "SELECT name, synthetic, origin, imported_at FROM catalogue_source",
                        (rs, n) ->
                                new DatasetOrigin(rs.getString(1), rs.getBoolean(2), rs.getString(3), toInstant(rs, 4)))
                .stream()
                .findFirst();
    }

    /**
     * Imports a dataset if the catalogue is empty: modalities in slot order, items and users (ids
     * kept as strings), feature vectors, and the interactions with their split labels. Replicas
     * starting together serialise on an advisory lock; all but the first find the catalogue filled.
     *
     * @return false if the catalogue was not empty (nothing imported)
     */
    @Transactional
    public boolean importIfEmpty(Dataset dataset, DatasetOrigin source, Instant occurredAt) {
        jdbc.query("SELECT pg_advisory_xact_lock(" + IMPORT_LOCK + ")", rs -> {});
        if (itemCount() > 0) {
            return false;
        }
        jdbc.update(
                "INSERT INTO catalogue_source (name, synthetic, origin) VALUES (?, ?, ?)",
                source.name(),
                source.synthetic(),
                source.origin());
        int slot = 0;
        for (Map.Entry<String, FeatureMatrix> e : dataset.features().entrySet()) {
            jdbc.update(
                    "INSERT INTO modality (name, dim, slot) VALUES (?, ?, ?)",
                    e.getKey(),
                    e.getValue().cols(),
                    slot++);
        }
        long[] itemIds = insertExternalIds("item", dataset.itemIds());
        long[] userIds = insertExternalIds("app_user", dataset.userIds());
        for (Map.Entry<String, FeatureMatrix> e : dataset.features().entrySet()) {
            FeatureMatrix matrix = e.getValue();
            for (int from = 0; from < matrix.rows(); from += CHUNK) {
                int to = Math.min(matrix.rows(), from + CHUNK);
                Long[] ids = new Long[to - from];
                String[] vectors = new String[to - from];
                for (int i = from; i < to; i++) {
                    ids[i - from] = itemIds[i];
                    vectors[i - from] = vectorLiteral(matrix.row(i));
                }
                jdbc.update(con -> {
                    var ps = con.prepareStatement("INSERT INTO item_feature (item_id, modality, vector)"
                            + " SELECT i, ?, v::real[] FROM unnest(?::bigint[], ?::text[]) AS x(i, v)");
                    ps.setString(1, e.getKey());
                    ps.setArray(2, con.createArrayOf("bigint", ids));
                    ps.setArray(3, con.createArrayOf("text", vectors));
                    return ps;
                });
            }
        }
        InteractionStore.insertImported(jdbc, dataset, userIds, itemIds, occurredAt);
        return true;
    }

    /** Inserts external ids into {@code table}; returns the surrogate id of each, in input order. */
    private long[] insertExternalIds(String table, List<String> externalIds) {
        Map<String, Long> idOf = new java.util.HashMap<>(externalIds.size() * 2);
        for (int from = 0; from < externalIds.size(); from += CHUNK) {
            String[] chunk = externalIds
                    .subList(from, Math.min(externalIds.size(), from + CHUNK))
                    .toArray(String[]::new);
            jdbc.query(
                    con -> {
                        var ps = con.prepareStatement(
                                "INSERT INTO " + table + " (external_id)"
                                        + " SELECT e FROM unnest(?::text[]) WITH ORDINALITY AS x(e, k) ORDER BY k RETURNING id, external_id");
                        ps.setArray(1, con.createArrayOf("text", chunk));
                        return ps;
                    },
                    (ResultSet rs) -> {
                        idOf.put(rs.getString(2), rs.getLong(1));
                    });
        }
        return externalIds.stream().mapToLong(idOf::get).toArray();
    }

    /** PostgreSQL array literal of a float vector, e.g. {@code {0.5,-1.0}}. */
    static String vectorLiteral(float[] vector) {
        StringBuilder sb = new StringBuilder(vector.length * 10).append('{');
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(vector[i]);
        }
        return sb.append('}').toString();
    }

    static float[] toFloats(Array array) throws SQLException {
        Object values = array.getArray();
        if (values instanceof Float[] boxed) {
            float[] out = new float[boxed.length];
            for (int i = 0; i < boxed.length; i++) {
                out[i] = boxed[i];
            }
            return out;
        }
        if (values instanceof float[] primitive) {
            return primitive;
        }
        throw new SQLException("unexpected array type " + values.getClass());
    }

    private static Instant toInstant(ResultSet rs, int column) throws SQLException {
        java.sql.Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
