package io.mambarec.jobs;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A small clustered catalogue written straight into the V1 tables: {@code clusters} groups of
 * {@code itemsPerCluster} items whose two 16-d feature vectors sit near their group's centre,
 * and users who each interact with {@code eventsPerUser} distinct items of one group, one
 * event per minute, with no split (as events posted to the API). A trained model learns the
 * groups; a random one ranks at chance, which the quality-gate tests rely on.
 */
final class TestCatalogue {

    static final int DIM = 16;

    private TestCatalogue() {}

    static void insert(JdbcTemplate jdbc, int clusters, int itemsPerCluster, int users, int eventsPerUser, long seed) {
        insert(jdbc, clusters, itemsPerCluster, users, eventsPerUser, seed, false);
    }

    /**
     * As {@link #insert}, but every user's events but the first fall on the first group (the hits):
     * the held-out events are hits, which the popularity ranking finds and an untrained model does not.
     */
    static void insertPopularHeldOut(
            JdbcTemplate jdbc, int clusters, int itemsPerCluster, int users, int eventsPerUser, long seed) {
        insert(jdbc, clusters, itemsPerCluster, users, eventsPerUser, seed, true);
    }

    private static void insert(
            JdbcTemplate jdbc,
            int clusters,
            int itemsPerCluster,
            int users,
            int eventsPerUser,
            long seed,
            boolean popularOnly) {
        Random random = new Random(seed);
        jdbc.update("insert into modality (name, dim, slot) values ('image', ?, 0), ('text', ?, 1)", DIM, DIM);
        int items = clusters * itemsPerCluster;
        List<Object[]> itemRows = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            itemRows.add(new Object[] {i + 1L, "item-" + i});
        }
        jdbc.batchUpdate("insert into item (id, external_id) values (?, ?)", itemRows);
        jdbc.execute("select setval('item_id_seq', (select max(id) from item))");
        List<Object[]> featureRows = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            int cluster = i / itemsPerCluster;
            for (String modality : List.of("image", "text")) {
                Float[] v = new Float[DIM];
                for (int d = 0; d < DIM; d++) {
                    v[d] = (d == cluster % DIM ? 1f : 0f)
                            + (cluster / DIM) * 0.5f
                            + (float) random.nextGaussian() * 0.1f;
                }
                featureRows.add(new Object[] {i + 1L, modality, v});
            }
        }
        jdbc.batchUpdate(
                "insert into item_feature (item_id, modality, vector) values (?, ?, ?)",
                featureRows,
                featureRows.size(),
                (ps, row) -> {
                    ps.setLong(1, (Long) row[0]);
                    ps.setString(2, (String) row[1]);
                    ps.setArray(3, ps.getConnection().createArrayOf("real", (Float[]) row[2]));
                });
        List<Object[]> userRows = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            userRows.add(new Object[] {u + 1L, "user-" + u});
        }
        jdbc.batchUpdate("insert into app_user (id, external_id) values (?, ?)", userRows);
        jdbc.execute("select setval('app_user_id_seq', (select max(id) from app_user))");
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        List<Object[]> events = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            int cluster = popularOnly ? 0 : u % clusters;
            List<Integer> pool = new ArrayList<>();
            for (int k = 0; k < itemsPerCluster; k++) {
                pool.add(cluster * itemsPerCluster + k);
            }
            java.util.Collections.shuffle(pool, random);
            if (popularOnly) { // one event outside the hits first, so that every item is known and hits are held out
                pool.add(0, itemsPerCluster + random.nextInt(items - itemsPerCluster));
            }
            for (int e = 0; e < eventsPerUser; e++) {
                events.add(new Object[] {
                    "ev-" + u + "-" + e,
                    u + 1L,
                    pool.get(e) + 1L,
                    Timestamp.from(start.plusSeconds(60L * (u * eventsPerUser + e)))
                });
            }
        }
        jdbc.batchUpdate(
                "insert into interaction (event_id, user_id, item_id, occurred_at) values (?, ?, ?, ?)", events);
    }
}
