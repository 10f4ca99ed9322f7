package io.mambarec.storage;

import io.mambarec.data.Dataset;
import io.mambarec.data.Interactions;
import io.mambarec.data.Split;
import io.mambarec.events.EventType;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The interaction log through plain SQL: idempotent batch ingest, per-user seen items, popularity. */
@Repository
public class InteractionStore {

    private final JdbcTemplate jdbc;

    public InteractionStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An event to store (ids are external ids). */
    public record NewInteraction(String eventId, String userId, String itemId, Instant occurredAt, EventType type) {

        /** A purchase (the default type). */
        public NewInteraction(String eventId, String userId, String itemId, Instant occurredAt) {
            this(eventId, userId, itemId, occurredAt, EventType.PURCHASE);
        }
    }

    public record IngestResult(int accepted, int duplicate) {}

    /** Some events name items that are not in the catalogue: the whole batch is refused. */
    public static class UnknownItemsException extends RuntimeException {
        private final List<String> itemIds;

        public UnknownItemsException(List<String> itemIds) {
            super("unknown item(s): " + itemIds);
            this.itemIds = List.copyOf(itemIds);
        }

        public List<String> itemIds() {
            return itemIds;
        }
    }

    /**
     * Stores a batch in one transaction, idempotent by event id: an event id already stored (or
     * repeated in the batch) counts as a duplicate and changes nothing. Unknown users are created.
     * If any item is unknown nothing is stored ({@link UnknownItemsException}).
     */
    @Transactional
    public IngestResult ingest(List<NewInteraction> events) {
        if (events.isEmpty()) {
            return new IngestResult(0, 0);
        }
        Map<String, Long> items =
                idsOf("item", events.stream().map(NewInteraction::itemId).toList());
        Set<String> unknown = new LinkedHashSet<>();
        for (NewInteraction e : events) {
            if (!items.containsKey(e.itemId())) {
                unknown.add(e.itemId());
            }
        }
        if (!unknown.isEmpty()) {
            throw new UnknownItemsException(new ArrayList<>(unknown));
        }
        String[] userIds =
                events.stream().map(NewInteraction::userId).distinct().toArray(String[]::new);
        jdbc.update(con -> {
            var ps = con.prepareStatement("INSERT INTO app_user (external_id) SELECT u FROM unnest(?::text[]) AS x(u)"
                    + " ORDER BY u ON CONFLICT (external_id) DO NOTHING");
            ps.setArray(1, con.createArrayOf("text", userIds));
            return ps;
        });
        Map<String, Long> users = idsOf("app_user", List.of(userIds));
        int n = events.size();
        String[] eventIds = new String[n];
        Long[] userKeys = new Long[n];
        Long[] itemKeys = new Long[n];
        String[] times = new String[n];
        String[] types = new String[n];
        for (int k = 0; k < n; k++) {
            NewInteraction e = events.get(k);
            eventIds[k] = e.eventId();
            userKeys[k] = users.get(e.userId());
            itemKeys[k] = items.get(e.itemId());
            times[k] = e.occurredAt().toString();
            types[k] = e.type().wireName();
        }
        int accepted = jdbc.update(con -> {
            var ps =
                    con.prepareStatement("INSERT INTO interaction (event_id, user_id, item_id, occurred_at, event_type)"
                            + " SELECT e, u, i, t, y FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::timestamptz[], ?::text[])"
                            + " AS x(e, u, i, t, y) ON CONFLICT (event_id) DO NOTHING");
            ps.setArray(1, con.createArrayOf("text", eventIds));
            ps.setArray(2, con.createArrayOf("bigint", userKeys));
            ps.setArray(3, con.createArrayOf("bigint", itemKeys));
            ps.setArray(4, con.createArrayOf("text", times));
            ps.setArray(5, con.createArrayOf("text", types));
            return ps;
        });
        if (accepted > 0) {
            announce(jdbc, InteractionChangeFeed.payloads(java.util.Arrays.asList(userIds)));
        }
        return new IngestResult(accepted, n - accepted);
    }

    /**
     * Sends these {@link InteractionChangeFeed} payloads to every replica. Part of the caller's
     * transaction: PostgreSQL delivers the notifications at commit, never for a rolled-back one.
     */
    static void announce(JdbcTemplate jdbc, List<String> payloads) {
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement("SELECT pg_notify(?, p) FROM unnest(?::text[]) AS x(p)");
                    ps.setString(1, InteractionChangeFeed.CHANNEL);
                    ps.setArray(2, con.createArrayOf("text", payloads.toArray(String[]::new)));
                    return ps;
                },
                rs -> {});
    }

    private Map<String, Long> idsOf(String table, List<String> externalIds) {
        String[] distinct = externalIds.stream().distinct().toArray(String[]::new);
        Map<String, Long> ids = new HashMap<>();
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement(
                            "SELECT external_id, id FROM " + table + " WHERE external_id = ANY(?::text[])");
                    ps.setArray(1, con.createArrayOf("text", distinct));
                    return ps;
                },
                (ResultSet rs) -> {
                    ids.put(rs.getString(1), rs.getLong(2));
                });
        return ids;
    }

    /**
     * The items a user has interacted with (surrogate ids): {@code all} of them, and those among
     * them the user disliked (never used as a sign of taste). Empty for an unknown user.
     */
    public record UserItems(long[] all, long[] disliked) {

        public static final UserItems NONE = new UserItems(new long[0], new long[0]);

        /** Items that speak for the user's taste (interacted with, not disliked). */
        public long[] liked() {
            if (disliked.length == 0) {
                return all;
            }
            java.util.Set<Long> bad = new java.util.HashSet<>();
            for (long d : disliked) {
                bad.add(d);
            }
            return java.util.Arrays.stream(all).filter(i -> !bad.contains(i)).toArray();
        }
    }

    /** Every item the user has interacted with, read from the table. */
    public UserItems seenItems(String userExternalId) {
        return jdbc.query(
                "SELECT x.item_id, bool_or(x.event_type = 'dislike') FROM interaction x"
                        + " JOIN app_user u ON u.id = x.user_id WHERE u.external_id = ? GROUP BY x.item_id",
                rs -> {
                    long[] all = new long[16];
                    long[] disliked = new long[0];
                    int size = 0;
                    while (rs.next()) {
                        if (size == all.length) {
                            all = java.util.Arrays.copyOf(all, size * 2);
                        }
                        all[size++] = rs.getLong(1);
                        if (rs.getBoolean(2)) {
                            disliked = java.util.Arrays.copyOf(disliked, disliked.length + 1);
                            disliked[disliked.length - 1] = rs.getLong(1);
                        }
                    }
                    return new UserItems(java.util.Arrays.copyOf(all, size), disliked);
                },
                userExternalId);
    }

    /**
     * The items each of these users has interacted with (surrogate ids, distinct), by external id;
     * users without interactions are absent. One query for the whole list.
     */
    public Map<String, long[]> seenItemsOf(List<String> userExternalIds) {
        Map<String, long[]> seen = new HashMap<>();
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement(
                            "SELECT u.external_id, array_agg(DISTINCT x.item_id) FROM interaction x"
                                    + " JOIN app_user u ON u.id = x.user_id WHERE u.external_id = ANY(?) GROUP BY u.external_id");
                    ps.setArray(1, con.createArrayOf("text", userExternalIds.toArray()));
                    return ps;
                },
                (ResultSet rs) -> {
                    Long[] items = (Long[]) rs.getArray(2).getArray();
                    long[] ids = new long[items.length];
                    for (int k = 0; k < ids.length; k++) {
                        ids[k] = items[k];
                    }
                    seen.put(rs.getString(1), ids);
                });
        return seen;
    }

    /** Every catalogue item with its number of interactions, most popular first (ties: oldest item first). */
    public List<ItemCount> popularity() {
        return jdbc.query(
                "SELECT i.id, i.external_id, count(x.item_id) AS c FROM item i"
                        + " LEFT JOIN interaction x ON x.item_id = i.id GROUP BY i.id ORDER BY c DESC, i.id",
                (rs, n) -> new ItemCount(rs.getLong(1), rs.getString(2), rs.getLong(3)));
    }

    public record ItemCount(long itemId, String externalId, long count) {}

    public long count() {
        return jdbc.queryForObject("SELECT count(*) FROM interaction", Long.class);
    }

    /** Bulk insert of an imported dataset's splits (label kept), event ids {@code import-<split>-<k>}. */
    static void insertImported(JdbcTemplate jdbc, Dataset dataset, long[] userIds, long[] itemIds, Instant occurredAt) {
        for (Split split : Split.values()) {
            Interactions interactions = dataset.split(split);
            for (int from = 0; from < interactions.size(); from += CatalogueStore.CHUNK) {
                int to = Math.min(interactions.size(), from + CatalogueStore.CHUNK);
                String[] eventIds = new String[to - from];
                Long[] users = new Long[to - from];
                Long[] items = new Long[to - from];
                for (int k = from; k < to; k++) {
                    eventIds[k - from] = "import-" + split.name().toLowerCase() + "-" + k;
                    users[k - from] = userIds[interactions.users()[k]];
                    items[k - from] = itemIds[interactions.items()[k]];
                }
                jdbc.update(con -> {
                    var ps = con.prepareStatement(
                            "INSERT INTO interaction (event_id, user_id, item_id, occurred_at, split)"
                                    + " SELECT e, u, i, ?, ? FROM unnest(?::text[], ?::bigint[], ?::bigint[]) AS x(e, u, i)");
                    ps.setObject(1, java.time.OffsetDateTime.ofInstant(occurredAt, java.time.ZoneOffset.UTC));
                    ps.setShort(2, (short) split.ordinal());
                    ps.setArray(3, con.createArrayOf("text", eventIds));
                    ps.setArray(4, con.createArrayOf("bigint", users));
                    ps.setArray(5, con.createArrayOf("bigint", items));
                    return ps;
                });
            }
        }
        // every replica forgets what it cached of anyone's interactions
        announce(jdbc, List.of(InteractionChangeFeed.EVERYONE));
    }
}
