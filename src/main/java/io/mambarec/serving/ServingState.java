package io.mambarec.serving;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything one request needs, immutable: the active model's user and item embeddings as flat
 * float arrays, plus embeddings derived for catalogue items the model has not seen
 * ({@link NeighbourEmbedding}), and the in-memory {@link Catalogue}. Rebuilt and swapped whole
 * when a model is activated or the catalogue changes.
 *
 * <p>Items are rows {@code 0..size-1}: the model's items first (in its order), then derived ones.
 */
public final class ServingState {

    private final ServingModel model;
    private final Catalogue catalogue;
    private final int dim;
    private final String[] itemIds;
    private final float[] itemVectors;
    private final float[] inverseNorms;
    private final int modelItems;
    private final Map<String, Integer> itemIndex;
    private final Map<Long, Integer> itemIndexByDbId;
    private final Map<String, Integer> userIndex;
    /** Derived vectors by external id, kept with the feature arrays they came from (reused while unchanged). */
    private final Map<String, Derived> derived;

    private final ItemRules rules;
    /** The rules over this state's rows, and over the catalogue's items (the paths without a model). */
    private final RowFilter rowFilter;

    private final RowFilter catalogueFilter;

    /** Per request thread: the score of every item (reused; a request uses it only inside topByInnerProduct). */
    private static final ThreadLocal<float[]> SCORES = ThreadLocal.withInitial(() -> new float[0]);

    /** Per request thread: the rows a filtered request scores (reused like {@link #SCORES}). */
    private static final ThreadLocal<int[]> CANDIDATES = ThreadLocal.withInitial(() -> new int[0]);

    private record Derived(float[][] unitFeatures, float[] vector) {}

    private ServingState(
            ServingModel model,
            Catalogue catalogue,
            ItemRules rules,
            int dim,
            String[] itemIds,
            float[] itemVectors,
            int modelItems,
            Map<String, Integer> userIndex,
            Map<String, Derived> derived) {
        this.rules = rules;
        this.rowFilter = new RowFilter(itemIds, rules);
        this.catalogueFilter = new RowFilter(
                catalogue.items().stream().map(Catalogue.Entry::externalId).toArray(String[]::new), rules);
        this.model = model;
        this.catalogue = catalogue;
        this.dim = dim;
        this.itemIds = itemIds;
        this.itemVectors = itemVectors;
        this.modelItems = modelItems;
        this.userIndex = userIndex;
        this.derived = derived;
        this.itemIndex = new HashMap<>(itemIds.length * 2);
        this.itemIndexByDbId = new HashMap<>(itemIds.length * 2);
        this.inverseNorms = new float[itemIds.length];
        for (int i = 0; i < itemIds.length; i++) {
            itemIndex.put(itemIds[i], i);
            int c = catalogue.indexOf(itemIds[i]);
            if (c >= 0) {
                itemIndexByDbId.put(catalogue.items().get(c).dbId(), i);
            }
            double norm = Math.sqrt(Vectors.dot(itemVectors, i * dim, itemVectors, i * dim, dim));
            inverseNorms[i] = norm > 0 ? (float) (1 / norm) : 0f;
        }
    }

    /** The same state under other item rules: only the row filters are rebuilt (a stock change costs O(items)). */
    private ServingState(ServingState same, ItemRules rules) {
        this.model = same.model;
        this.catalogue = same.catalogue;
        this.dim = same.dim;
        this.itemIds = same.itemIds;
        this.itemVectors = same.itemVectors;
        this.inverseNorms = same.inverseNorms;
        this.modelItems = same.modelItems;
        this.itemIndex = same.itemIndex;
        this.itemIndexByDbId = same.itemIndexByDbId;
        this.userIndex = same.userIndex;
        this.derived = same.derived;
        this.rules = rules;
        this.rowFilter = new RowFilter(itemIds, rules);
        this.catalogueFilter = new RowFilter(
                catalogue.items().stream().map(Catalogue.Entry::externalId).toArray(String[]::new), rules);
    }

    public ServingState withRules(ItemRules newRules) {
        return new ServingState(this, newRules);
    }

    /** No model yet: the catalogue only (popular items; feature-space similarity). */
    public static ServingState withoutModel(Catalogue catalogue) {
        return withoutModel(catalogue, ItemRules.none());
    }

    private static ServingState withoutModel(Catalogue catalogue, ItemRules rules) {
        return new ServingState(null, catalogue, rules, 0, new String[0], new float[0], 0, Map.of(), Map.of());
    }

    /** Serving state for {@code model} over {@code catalogue}, reusing what {@code previous} derived for the same model. */
    public static ServingState build(ServingModel model, Catalogue catalogue, ServingState previous) {
        return build(model, catalogue, previous != null ? previous.rules : ItemRules.none(), previous);
    }

    /** The same, with the item rules {@code rules}. */
    public static ServingState build(ServingModel model, Catalogue catalogue, ItemRules rules, ServingState previous) {
        if (model == null) {
            return withoutModel(catalogue, rules);
        }
        var embeddings = model.embeddings();
        int dim = embeddings.dim();
        int n0 = model.itemIds().size();
        boolean sameModel = previous != null && previous.model == model;
        Map<String, Integer> users =
                sameModel ? previous.userIndex : indexOf(model.userIds().toArray(String[]::new));
        Map<String, Integer> modelItemIndex =
                sameModel ? null : indexOf(model.itemIds().toArray(String[]::new));
        Map<String, Integer> known = sameModel ? previous.itemIndex : modelItemIndex;

        float[][][] neighbourFeatures = new float[n0][][];
        for (int j = 0; j < n0; j++) {
            int c = catalogue.indexOf(model.itemIds().get(j));
            neighbourFeatures[j] = c >= 0 ? catalogue.items().get(c).unitFeatures() : null;
        }
        Map<String, Derived> derived = new HashMap<>();
        for (Catalogue.Entry entry : catalogue.items()) {
            Integer k = known.get(entry.externalId());
            if (k != null && k < n0) {
                continue;
            }
            Derived old = sameModel ? previous.derived.get(entry.externalId()) : null;
            if (old != null && old.unitFeatures() == entry.unitFeatures()) {
                derived.put(entry.externalId(), old);
                continue;
            }
            float[] vector = NeighbourEmbedding.of(entry.unitFeatures(), neighbourFeatures, embeddings.items(), dim);
            if (vector != null) {
                derived.put(entry.externalId(), new Derived(entry.unitFeatures(), vector));
            }
        }
        String[] ids = new String[n0 + derived.size()];
        float[] vectors = Arrays.copyOf(embeddings.items(), ids.length * dim);
        for (int j = 0; j < n0; j++) {
            ids[j] = model.itemIds().get(j);
        }
        int row = n0;
        for (Catalogue.Entry entry : catalogue.items()) {
            Derived d = derived.get(entry.externalId());
            if (d != null) {
                ids[row] = entry.externalId();
                System.arraycopy(d.vector(), 0, vectors, row * dim, dim);
                row++;
            }
        }
        return new ServingState(model, catalogue, rules, dim, ids, vectors, n0, users, derived);
    }

    private static Map<String, Integer> indexOf(String[] ids) {
        Map<String, Integer> index = new HashMap<>(ids.length * 2);
        for (int i = 0; i < ids.length; i++) {
            index.put(ids[i], i);
        }
        return index;
    }

    public boolean hasModel() {
        return model != null;
    }

    /** The active model, or null. */
    public ServingModel model() {
        return model;
    }

    public Catalogue catalogue() {
        return catalogue;
    }

    public ItemRules rules() {
        return rules;
    }

    /** Rows a request with {@code filter} must skip (ineligible, excluded); the caller may add more. */
    public BitSet excludedRows(ItemFilter filter) {
        return rowFilter.excluded(filter, this::itemRow);
    }

    /** Rows in the filter's categories, or null for every row. */
    public BitSet allowedRows(ItemFilter filter) {
        return rowFilter.allowed(filter);
    }

    /** The same over the catalogue's indices (the paths without a model). */
    public BitSet excludedCatalogueItems(ItemFilter filter) {
        return catalogueFilter.excluded(filter, catalogue::indexOf);
    }

    public BitSet allowedCatalogueItems(ItemFilter filter) {
        return catalogueFilter.allowed(filter);
    }

    /** Number of items with an embedding (model items plus derived ones). */
    public int size() {
        return itemIds.length;
    }

    /** Items whose embedding comes from the model (the rest are derived from feature-space neighbours). */
    public int modelItems() {
        return modelItems;
    }

    public String itemId(int row) {
        return itemIds[row];
    }

    /** Row of the item, or -1 if it has no embedding. */
    public int itemRow(String externalId) {
        return itemIndex.getOrDefault(externalId, -1);
    }

    /** Row of the item with this surrogate key, or -1. */
    public int itemRowOfDbId(long dbId) {
        return itemIndexByDbId.getOrDefault(dbId, -1);
    }

    /** The model's row for this user, or -1 if the model does not know the user. */
    public int userRow(String externalId) {
        return userIndex.getOrDefault(externalId, -1);
    }

    /** A copy of the user's final embedding. */
    public float[] userVector(int row) {
        return Arrays.copyOfRange(model.embeddings().users(), row * dim, (row + 1) * dim);
    }

    /** The mean of the given items' embeddings (fold-in of a user the model has not seen). */
    public float[] meanOfItems(int[] rows) {
        float[] mean = new float[dim];
        for (int row : rows) {
            for (int d = 0; d < dim; d++) {
                mean[d] += itemVectors[row * dim + d];
            }
        }
        for (int d = 0; d < dim; d++) {
            mean[d] /= rows.length;
        }
        return mean;
    }

    /**
     * The k items with the largest inner product with {@code query} among the rows not in
     * {@code excluded} and, unless it is null, in {@code allowed}. With a category filter only the
     * rows that pass both sets are scored; without one every row is (one pass over the matrix),
     * and the excluded ones are skipped by the top-k scan. A row's score is the same either way.
     */
    public TopK.Ranked topByInnerProduct(float[] query, BitSet excluded, BitSet allowed, int k) {
        int n = itemIds.length;
        float[] scores = SCORES.get();
        if (scores.length < n) {
            scores = new float[n];
            SCORES.set(scores);
        }
        TopK top = new TopK(k);
        if (allowed == null) {
            Vectors.scoreAll(itemVectors, n, dim, query, scores);
            for (int i = excluded.nextClearBit(0); i < n; i = excluded.nextClearBit(i + 1)) {
                top.offer(i, scores[i]);
            }
            return top.ranked();
        }
        int[] rows = CANDIDATES.get();
        if (rows.length < n) {
            rows = new int[n];
            CANDIDATES.set(rows);
        }
        int count = 0;
        for (int i = allowed.nextSetBit(0); i >= 0 && i < n; i = allowed.nextSetBit(i + 1)) {
            if (!excluded.get(i)) {
                rows[count++] = i;
            }
        }
        Vectors.scoreRows(itemVectors, dim, rows, count, query, scores);
        for (int j = 0; j < count; j++) {
            top.offer(rows[j], scores[j]);
        }
        return top.ranked();
    }

    /**
     * The rows an unfiltered request skips besides the ineligible ones, sorted and distinct: the
     * filter's excluded items and the items with these surrogate keys (the user's seen items).
     */
    public int[] skippedRows(ItemFilter filter, long[] seenDbIds) {
        int[] rows = new int[filter.excluded().size() + seenDbIds.length];
        int count = 0;
        for (String id : filter.excluded()) {
            int row = itemRow(id);
            if (row >= 0) {
                rows[count++] = row;
            }
        }
        for (long id : seenDbIds) {
            int row = itemRowOfDbId(id);
            if (row >= 0) {
                rows[count++] = row;
            }
        }
        Arrays.sort(rows, 0, count);
        int distinct = 0;
        for (int j = 0; j < count; j++) {
            if (distinct == 0 || rows[distinct - 1] != rows[j]) {
                rows[distinct++] = rows[j];
            }
        }
        return distinct == rows.length ? rows : Arrays.copyOf(rows, distinct);
    }

    /**
     * {@link #topByInnerProduct} without a category filter, from {@code ranking}: a prefix of the
     * model's rows ranked by inner product with {@code query} (best first, ties lower row first; see
     * {@link CandidateLists}). The first k rows of the prefix that are eligible and not in
     * {@code skipped} (sorted) are the best k model rows; they are scored with the scan's kernel and
     * merged with the derived rows, which are scored as the scan scores them. Null when fewer than
     * k rows of the prefix survive and it does not hold every model row: then only the scan knows.
     */
    public TopK.Ranked topFromRanking(float[] query, int[] ranking, int[] skipped, int k) {
        int n = itemIds.length;
        int[] rows = CANDIDATES.get();
        if (rows.length < n) {
            rows = new int[n];
            CANDIDATES.set(rows);
        }
        int count = 0;
        for (int j = 0; j < ranking.length && count < k; j++) {
            int row = ranking[j];
            if (!rowFilter.ineligible(row) && Arrays.binarySearch(skipped, row) < 0) {
                rows[count++] = row;
            }
        }
        if (count < k && ranking.length < modelItems) {
            return null;
        }
        for (int row = modelItems; row < n; row++) {
            if (!rowFilter.ineligible(row) && Arrays.binarySearch(skipped, row) < 0) {
                rows[count++] = row;
            }
        }
        float[] scores = SCORES.get();
        if (scores.length < n) {
            scores = new float[n];
            SCORES.set(scores);
        }
        Vectors.scoreRows(itemVectors, dim, rows, count, query, scores);
        TopK top = new TopK(k);
        for (int j = 0; j < count; j++) {
            top.offer(rows[j], scores[j]);
        }
        return top.ranked();
    }

    /** The k items nearest to item {@code row} by cosine of the embeddings (the item itself, excluded rows, rows outside allowed skipped). */
    public TopK.Ranked nearestByCosine(int row, BitSet excluded, BitSet allowed, int k) {
        TopK top = new TopK(k);
        int offset = row * dim;
        for (int i = 0; i < itemIds.length; i++) {
            if (i != row && RowFilter.passes(i, excluded, allowed)) {
                top.offer(
                        i,
                        Vectors.dot(itemVectors, i * dim, itemVectors, offset, dim)
                                * inverseNorms[i]
                                * inverseNorms[row]);
            }
        }
        return top.ranked();
    }
}
