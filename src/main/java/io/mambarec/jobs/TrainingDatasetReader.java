package io.mambarec.jobs;

import io.mambarec.data.Dataset;
import io.mambarec.data.FeatureMatrix;
import io.mambarec.data.Interactions;
import io.mambarec.data.Split;
import io.mambarec.events.EventType;
import io.mambarec.events.EventWeights;
import io.mambarec.storage.JobQueue;
import io.mambarec.storage.UserErasureStore;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reads the stored catalogue and interaction log into a {@link Dataset} for one retraining job,
 * in one REPEATABLE READ transaction (a consistent snapshot while events keep arriving).
 *
 * <p>Splits: imported events keep their MMRec split (0/1/2). Events that came through the API
 * have none; they are assigned per user, deterministically:
 * <ul>
 * <li>a user with imported events: their API events train (their holdout is the imported one);</li>
 * <li>a user with only API events and at least {@value #MIN_EVENTS_FOR_HOLDOUT} distinct items:
 * the latest item goes to test, the next latest to validation, the rest to training (an item seen
 * twice counts at its latest event);</li>
 * <li>a user with fewer: everything trains.</li>
 * </ul>
 * Event types (see {@link EventWeights}): a (user, item) pair with a dislike is left out, events of
 * weight 0 too, and each training pair carries the largest weight of its events, its probability of
 * taking part in an epoch. Erased users have no rows left, so no later snapshot contains them;
 * retired items stay (their interactions still teach the model about their users and neighbours).
 * Users without a training interaction are left out (MMRec drops them from evaluation); every
 * item of the catalogue is kept, interacted with or not, with its feature vectors (a missing
 * vector reads as zeros).
 */
@Component
public class TrainingDatasetReader {

    static final int MIN_EVENTS_FOR_HOLDOUT = 3;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate snapshotTx;
    private final EventWeights weights;

    public TrainingDatasetReader(JdbcTemplate jdbc, PlatformTransactionManager transactions, EventWeights weights) {
        this.weights = weights;
        this.jdbc = new JdbcTemplate(jdbc.getDataSource());
        this.jdbc.setFetchSize(10_000); // stream the interaction log instead of buffering it whole
        this.snapshotTx = new TransactionTemplate(transactions);
        snapshotTx.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        snapshotTx.setReadOnly(true);
    }

    /** True when at least one interaction is stored. */
    public boolean hasInteractions() {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists(select 1 from interaction)", Boolean.class));
    }

    /** The database's clock: take it before {@link #read} to check {@link #erasedSince} after training. */
    public Instant databaseNow() {
        return jdbc.queryForObject("select now()", Timestamp.class).toInstant();
    }

    /**
     * The users among {@code userIds} erased since {@code since} (DELETE /users/{id} while a job
     * trained on a snapshot that still held them): a model trained on it must not be kept.
     */
    public List<String> erasedSince(Instant since, List<String> userIds) {
        Set<String> erased = new HashSet<>(jdbc.queryForList(
                "select subject_sha256 from user_erasure where erased_at >= ?", String.class, Timestamp.from(since)));
        if (erased.isEmpty()) {
            return List.of();
        }
        return userIds.stream()
                .filter(id -> erased.contains(UserErasureStore.subjectHash(id)))
                .toList();
    }

    public Dataset read(String name) {
        return read(name, new JobQueue.SnapshotBounds(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE));
    }

    /**
     * The catalogue as it was when a job first read it: items, users and interactions with ids up to
     * {@code bounds} (rows deleted since stay deleted), so a resumed job trains on the same data.
     */
    public Dataset read(String name, JobQueue.SnapshotBounds bounds) {
        return snapshotTx.execute(status -> readInTransaction(name, bounds));
    }

    private Dataset readInTransaction(String name, JobQueue.SnapshotBounds bounds) {
        List<String> itemIds = new ArrayList<>();
        Map<Long, Integer> itemIndex = new HashMap<>();
        jdbc.query(
                "select id, external_id from item where id <= ? order by id",
                (ResultSet rs) -> {
                    itemIndex.put(rs.getLong(1), itemIds.size());
                    itemIds.add(rs.getString(2));
                },
                bounds.itemId());
        Map<String, FeatureMatrix> features = readFeatures(itemIndex, itemIds.size());

        Map<Long, String> userExternal = new HashMap<>();
        jdbc.query(
                "select id, external_id from app_user where id <= ?",
                (ResultSet rs) -> {
                    userExternal.put(rs.getLong(1), rs.getString(2));
                },
                bounds.userId());
        SplitAssigner assigner = new SplitAssigner(weights);
        jdbc.query(
                "select user_id, item_id, split, event_type from interaction"
                        + " where id <= ? and user_id <= ? and item_id <= ? order by user_id, occurred_at, id",
                (ResultSet rs) -> {
                    int split = rs.getInt(3);
                    if (rs.wasNull()) {
                        split = -1;
                    }
                    assigner.add(
                            rs.getLong(1),
                            itemIndex.get(rs.getLong(2)),
                            split,
                            EventType.fromWire(rs.getString(4)).orElseThrow());
                },
                bounds.interactionId(),
                bounds.userId(),
                bounds.itemId());
        assigner.finish();
        List<String> userIds = new ArrayList<>();
        for (long user : assigner.users) {
            userIds.add(userExternal.get(user));
        }
        return new Dataset(
                name,
                userIds,
                itemIds,
                assigner.split(Split.TRAIN),
                assigner.split(Split.VALID),
                assigner.split(Split.TEST),
                features);
    }

    private Map<String, FeatureMatrix> readFeatures(Map<Long, Integer> itemIndex, int numItems) {
        Map<String, FeatureMatrix> features = new LinkedHashMap<>();
        jdbc.query("select name, dim from modality order by slot", (ResultSet rs) -> {
            int dim = rs.getInt(2);
            features.put(rs.getString(1), new FeatureMatrix(numItems, dim, new float[numItems * dim]));
        });
        jdbc.query("select item_id, modality, vector from item_feature", (ResultSet rs) -> {
            FeatureMatrix matrix = features.get(rs.getString(2));
            Integer row = itemIndex.get(rs.getLong(1));
            if (row == null) {
                return; // an item added after the job's snapshot
            }
            float[] vector = floats(rs.getArray(3));
            if (vector.length != matrix.cols()) {
                throw new IllegalStateException("item " + rs.getLong(1) + " has a " + vector.length + "-d "
                        + rs.getString(2) + " vector; the modality is " + matrix.cols() + "-d");
            }
            System.arraycopy(vector, 0, matrix.values(), row * matrix.cols(), vector.length);
        });
        return features;
    }

    private static float[] floats(Array array) throws SQLException {
        Object values = array.getArray();
        if (values instanceof float[] primitive) {
            return primitive;
        }
        Float[] boxed = (Float[]) values;
        float[] out = new float[boxed.length];
        for (int k = 0; k < boxed.length; k++) {
            out[k] = boxed[k];
        }
        return out;
    }

    /**
     * Collects one user's events at a time (rows arrive ordered by user, then time) and assigns
     * their splits as the class comment describes; users are renumbered to those that train.
     * Event types: a pair with a dislike is dropped (never a positive, in no split), so are events
     * of weight 0; a training pair carries the largest weight of its events.
     */
    static final class SplitAssigner {

        final List<Long> users = new ArrayList<>();
        private final EventWeights weights;
        private final List<int[]> pairs = new ArrayList<>(); // {userIndex, item, split}
        private final List<Float> pairWeights = new ArrayList<>();
        private long currentUser = Long.MIN_VALUE;
        private final List<int[]> events = new ArrayList<>(); // {item, split or -1}
        private final List<Float> eventWeights = new ArrayList<>();
        private final Set<Integer> disliked = new HashSet<>();

        SplitAssigner() {
            this(EventWeights.defaults());
        }

        SplitAssigner(EventWeights weights) {
            this.weights = weights;
        }

        /** A purchase (the type of imported events and of events posted without one). */
        void add(long user, int item, int split) {
            add(user, item, split, EventType.PURCHASE);
        }

        void add(long user, int item, int split, EventType type) {
            if (user != currentUser) {
                flush();
                currentUser = user;
            }
            if (type == EventType.DISLIKE) {
                disliked.add(item);
            } else if (weights.of(type) > 0) {
                events.add(new int[] {item, split});
                eventWeights.add(weights.of(type));
            }
        }

        void finish() {
            flush();
        }

        private void flush() {
            List<int[]> kept = new ArrayList<>();
            Map<Integer, Float> weightOf = new HashMap<>();
            for (int k = 0; k < events.size(); k++) {
                int[] e = events.get(k);
                if (!disliked.contains(e[0])) {
                    kept.add(e);
                    weightOf.merge(e[0], eventWeights.get(k), Math::max);
                }
            }
            events.clear();
            eventWeights.clear();
            disliked.clear();
            if (kept.isEmpty()) {
                return;
            }
            boolean imported = kept.stream().anyMatch(e -> e[1] >= 0);
            List<int[]> assigned = new ArrayList<>();
            if (imported) {
                for (int[] e : kept) {
                    assigned.add(new int[] {e[0], Math.max(e[1], 0)});
                }
            } else {
                // distinct items in order of their latest event
                LinkedHashMap<Integer, Boolean> latest = new LinkedHashMap<>();
                for (int[] e : kept) {
                    latest.remove(e[0]);
                    latest.put(e[0], Boolean.TRUE);
                }
                List<Integer> items = new ArrayList<>(latest.keySet());
                int n = items.size();
                boolean holdout = n >= MIN_EVENTS_FOR_HOLDOUT;
                for (int k = 0; k < n; k++) {
                    int split = !holdout || k < n - 2 ? 0 : k == n - 1 ? 2 : 1;
                    assigned.add(new int[] {items.get(k), split});
                }
            }
            if (assigned.stream().anyMatch(e -> e[1] == 0)) {
                int userIndex = users.size();
                users.add(currentUser);
                for (int[] e : assigned) {
                    pairs.add(new int[] {userIndex, e[0], e[1]});
                    pairWeights.add(weightOf.get(e[0]));
                }
            }
        }

        /** The pairs of a split; the training split with its weights (null when every weight is 1). */
        Interactions split(Split split) {
            int label = split.ordinal();
            int[] rows = IntStream.range(0, pairs.size())
                    .filter(k -> pairs.get(k)[2] == label)
                    .toArray();
            int[] u = Arrays.stream(rows).map(k -> pairs.get(k)[0]).toArray();
            int[] i = Arrays.stream(rows).map(k -> pairs.get(k)[1]).toArray();
            float[] w = new float[rows.length];
            boolean weighted = false;
            for (int k = 0; k < rows.length; k++) {
                w[k] = pairWeights.get(rows[k]);
                weighted |= w[k] != 1f;
            }
            return new Interactions(u, i, split == Split.TRAIN && weighted ? w : null);
        }
    }
}
