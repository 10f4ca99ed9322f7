package io.mambarec.serving;

import io.mambarec.config.MambaRecProperties;
import io.mambarec.metrics.MetricNames;
import io.mambarec.model.Embeddings;
import io.mambarec.storage.InteractionStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * Each known user's ranking prefix for the served model version (a recommendation cache): the
 * model's item rows in the order of their inner product with the user's embedding (best first,
 * ties lower row first), up to {@code size} items the user had not seen when it was built, plus
 * the seen ones that rank among them. An unfiltered {@code model} request walks its user's prefix,
 * skipping the items its rules exclude at that moment (seen items including events that arrived
 * after the build, dislikes, unavailable and retired items, {@code exclude=}), and merges the
 * first k survivors with the derived items ({@link ServingState#topFromRanking}): the scan's exact
 * answer, since every row outside a prefix ranks below every row in it. With fewer than k
 * survivors, before its user's prefix is built, or for another version, the request scans.
 *
 * <p>Built on one background thread when a version starts serving, users in blocks of
 * {@value #BLOCK}, each published when done, with a kernel that rounds exactly as the scan's
 * ({@link Vectors#scoreColumns}: the same sums, SIMD across items) so that the order is the
 * scan's bit for bit. A prefix belongs to its {@link ServingModel}
 * instance: a request of another version never reads it, and a newer version stops the build.
 * Memory: about (size + seen items) x 4 bytes per user, reported by the gauge
 * {@link MetricNames#CANDIDATE_LISTS_BYTES}.
 */
@Component
public class CandidateLists implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CandidateLists.class);

    /** Users per query of their seen items and per published step. */
    static final int BLOCK = 256;

    /** Users scored together while a tile of items is in the cache, and the items of a tile. */
    private static final int GROUP = 32;

    private static final int TILE = 1024;

    private final ActiveModel activeModel;
    private final InteractionStore store;
    private final ErasedUsers erased;
    private final int size;
    private final ExecutorService builder;
    private final AtomicReference<Built> current = new AtomicReference<>();
    private final Counter fromList;
    private final Counter scanned;
    private final Counter notReady;

    /** The prefixes of one model version; users [0, ready) are built (null for an erased user). */
    private static final class Built {
        final ServingModel model;
        final int[][] rankings;
        volatile int ready;
        volatile long bytes;
        volatile boolean done;

        Built(ServingModel model) {
            this.model = model;
            this.rankings = new int[model.embeddings().numUsers()][];
        }
    }

    public CandidateLists(
            ActiveModel activeModel,
            InteractionStore store,
            ErasedUsers erased,
            MeterRegistry registry,
            MambaRecProperties properties) {
        this.activeModel = activeModel;
        this.store = store;
        this.erased = erased;
        this.size = properties.serving().candidateLists().size();
        this.builder = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "candidate-lists");
            thread.setDaemon(true);
            return thread;
        });
        String name = MetricNames.RECOMMEND_CANDIDATES;
        String help = "unfiltered model requests by how they were answered";
        this.fromList =
                Counter.builder(name).tag("outcome", "list").description(help).register(registry);
        this.scanned =
                Counter.builder(name).tag("outcome", "short").description(help).register(registry);
        this.notReady = Counter.builder(name)
                .tag("outcome", "not-ready")
                .description(help)
                .register(registry);
        Gauge.builder(MetricNames.CANDIDATE_LISTS_BYTES, this, c -> {
                    Built built = c.current.get();
                    return built == null ? 0 : built.bytes;
                })
                .description("heap held by the candidate lists of the served version")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder(MetricNames.CANDIDATE_LISTS_READY, this, c -> {
                    Built built = c.current.get();
                    return c.size == 0 || (built != null && built.done) ? 1 : 0;
                })
                .description(
                        "1 when every known user's candidate list of the served version is built (or lists are off)")
                .register(registry);
        activeModel.onActivation(this::prepare);
    }

    /**
     * The ranking prefix of user row {@code user} of {@code state}'s model, or null (lists off, not
     * built yet): the caller scans. Starts the build if {@code state}'s version has none.
     */
    int[] ranking(ServingState state, int user) {
        if (size == 0) {
            return null;
        }
        Built built = current.get();
        if (built == null || built.model != state.model()) {
            if (activeModel.state().model() == state.model()) {
                prepare(state); // not for a request that read the state just before a swap
            }
            notReady.increment();
            return null;
        }
        int[] ranking = user < built.ready ? built.rankings[user] : null;
        if (ranking == null) {
            notReady.increment();
        }
        return ranking;
    }

    /** Counts a request answered from its list ({@code true}) or scanned because too few of the list's items survived. */
    void answered(boolean fromPrefix) {
        (fromPrefix ? fromList : scanned).increment();
    }

    /** Starts building the lists of {@code state}'s model unless they exist or are being built. */
    void prepare(ServingState state) {
        ServingModel model = state.model();
        if (size == 0 || model == null) {
            return;
        }
        Built seen = current.get();
        if (seen != null && seen.model == model) {
            return;
        }
        Built fresh = new Built(model);
        if (!current.compareAndSet(seen, fresh)) {
            return;
        }
        try {
            builder.execute(() -> {
                try {
                    build(fresh, state);
                } catch (RuntimeException e) {
                    // the users not built yet are served by the scan
                    log.warn("candidate lists of model version {} stopped: {}", model.version(), e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    /** True when every list of the version {@code state} serves is built (tests, benchmarks). */
    public boolean ready(ServingState state) {
        Built built = current.get();
        return built != null && built.model == state.model() && built.done;
    }

    private void build(Built built, ServingState state) {
        long start = System.nanoTime();
        Embeddings embeddings = built.model.embeddings();
        int users = embeddings.numUsers();
        int items = embeddings.numItems();
        int dim = embeddings.dim();
        // dimension-major for the SIMD kernel (the same rounding as the scan's); the row kernel for an odd dim
        float[] columns = dim % 2 == 0 ? Vectors.columns(embeddings.items(), items, dim) : null;
        float[] even = new float[TILE];
        float[] odd = new float[TILE];
        float[] scores = new float[GROUP * items];
        float[] one = columns == null ? new float[items] : null;
        boolean[] seenRow = new boolean[items];
        long[] heap = new long[Math.min(size, items)];
        long bytes = 16L + 4L * users;
        boolean warned = false;
        for (int from = 0; from < users; from += BLOCK) {
            if (current.get() != built) {
                return; // another version is served
            }
            int to = Math.min(from + BLOCK, users);
            List<String> ids = built.model.userIds().subList(from, to);
            Map<String, long[]> seen;
            try {
                seen = store.seenItemsOf(ids);
            } catch (DataAccessException e) {
                // the prefixes stay exact without the seen items, only shorter in unseen ones
                if (!warned) {
                    log.warn("candidate lists built without the users' seen items: {}", e.getMessage());
                    warned = true;
                }
                seen = Map.of();
            }
            for (int group = from; group < to; group += GROUP) {
                int count = Math.min(GROUP, to - group);
                if (columns != null) {
                    Vectors.scoreColumns(columns, items, dim, embeddings.users(), group, count, even, odd, scores);
                } else {
                    for (int q = 0; q < count; q++) {
                        int u = group + q;
                        float[] query = Arrays.copyOfRange(embeddings.users(), u * dim, (u + 1) * dim);
                        Vectors.scoreAll(embeddings.items(), items, dim, query, one);
                        System.arraycopy(one, 0, scores, q * items, items);
                    }
                }
                for (int q = 0; q < count; q++) {
                    int u = group + q;
                    String id = ids.get(u - from);
                    if (erased.isErasedFrom(id, built.model)) {
                        continue;
                    }
                    long[] seenIds = seen.getOrDefault(id, new long[0]);
                    int[] marked = new int[seenIds.length];
                    int marks = 0;
                    for (long dbId : seenIds) {
                        int row = state.itemRowOfDbId(dbId);
                        if (row >= 0 && row < items && !seenRow[row]) {
                            seenRow[row] = true;
                            marked[marks++] = row;
                        }
                    }
                    int[] ranking = prefix(scores, q * items, items, seenRow, heap);
                    for (int j = 0; j < marks; j++) {
                        seenRow[marked[j]] = false;
                    }
                    built.rankings[u] = ranking;
                    bytes += 16L + 4L * ranking.length;
                }
            }
            built.bytes = bytes;
            built.ready = to;
        }
        built.done = true;
        log.info(
                "candidate lists of model version {}: {} users x up to {} unseen of {} items in {} ms, {} MB",
                built.model.version(),
                users,
                size,
                items,
                (System.nanoTime() - start) / 1_000_000,
                String.format("%.1f", bytes / 1e6));
    }

    /**
     * The rows ranked best first (ties lower row first) by scores[offset + row], down to the
     * {@code heap.length}-th best row not marked in {@code seen}: those, and the marked rows that
     * rank above it. Every row if fewer unmarked rows exist. {@code heap} is scratch space.
     */
    static int[] prefix(float[] scores, int offset, int items, boolean[] seen, long[] heap) {
        int capacity = heap.length;
        int filled = 0;
        int marked = 0;
        for (int row = 0; row < items; row++) {
            if (seen[row]) {
                marked++;
                continue;
            }
            long key = key(scores[offset + row], row);
            if (filled < capacity) {
                heap[filled] = key;
                siftUp(heap, filled++);
            } else if (capacity > 0 && key < heap[0]) {
                heap[0] = key;
                siftDown(heap, filled);
            }
        }
        boolean all = filled < capacity || capacity == items - marked;
        long[] keys = Arrays.copyOf(heap, filled + marked);
        int count = filled;
        for (int row = 0; row < items; row++) {
            if (seen[row]) {
                long key = key(scores[offset + row], row);
                if (all || key < heap[0]) {
                    keys[count++] = key;
                }
            }
        }
        Arrays.sort(keys, 0, count);
        int[] rows = new int[count];
        for (int j = 0; j < count; j++) {
            rows[j] = (int) keys[j];
        }
        return rows;
    }

    /**
     * A long that orders (score, row) as the scan ranks them: a higher score first, then the lower
     * row. The float's bits made monotone (-0 counted as +0, as the scan's comparisons do), inverted,
     * above the row.
     */
    static long key(float score, int row) {
        int bits = Float.floatToIntBits(score + 0.0f);
        int monotone = bits ^ ((bits >> 31) & 0x7fffffff);
        return ((long) ~monotone << 32) | row;
    }

    /** Max-heap on the keys: the worst kept row at the root. */
    private static void siftUp(long[] heap, int k) {
        while (k > 0) {
            int parent = (k - 1) / 2;
            if (heap[k] <= heap[parent]) {
                return;
            }
            long t = heap[k];
            heap[k] = heap[parent];
            heap[parent] = t;
            k = parent;
        }
    }

    private static void siftDown(long[] heap, int size) {
        int k = 0;
        while (true) {
            int left = 2 * k + 1;
            int right = left + 1;
            int largest = k;
            if (left < size && heap[left] > heap[largest]) {
                largest = left;
            }
            if (right < size && heap[right] > heap[largest]) {
                largest = right;
            }
            if (largest == k) {
                return;
            }
            long t = heap[k];
            heap[k] = heap[largest];
            heap[largest] = t;
            k = largest;
        }
    }

    @Override
    public void destroy() {
        current.set(null);
        builder.shutdownNow();
    }
}
