package io.mambarec.serving;

import io.mambarec.metrics.ServiceMetrics;
import io.mambarec.serving.Recommendation.ScoredItem;
import io.mambarec.storage.InteractionStore.ItemCount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Top-K recommendation and similar items over the {@link ServingState} (plain float arrays).
 * The items a user has interacted with come from {@link SeenItems}, which every replica keeps in
 * step with the interaction table, so an event stored a moment ago by any replica is excluded. Strategies:
 * <ul>
 *   <li>{@code model}: the model knows the user; score = z_u . z_i over every item with an embedding.</li>
 *   <li>{@code fold-in}: the model does not know the user, who has stored interactions: z_u is the
 *   mean of the embeddings of the items they interacted with (a LightGCN-style one-hop aggregation).</li>
 *   <li>{@code popular}: no interactions, or no model yet: the most interacted-with unseen items.</li>
 * </ul>
 */
@Service
public class Recommender {

    public static final String MODEL = "model";
    public static final String FOLD_IN = "fold-in";
    public static final String POPULAR = "popular";

    private final ActiveModel activeModel;
    private final SeenItems seenItems;
    private final PopularItems popular;
    private final ServiceMetrics metrics;

    public Recommender(ActiveModel activeModel, SeenItems seenItems, PopularItems popular,
            ServiceMetrics metrics) {
        this.activeModel = activeModel;
        this.seenItems = seenItems;
        this.popular = popular;
        this.metrics = metrics;
    }

    public Recommendation recommend(String userId, int k) {
        long start = System.nanoTime();
        long[] seen = seenItems.of(userId);
        ServingState state = activeModel.state();
        Recommendation result = null;
        if (state.hasModel()) {
            BitSet excluded = new BitSet(state.size());
            int[] seenRows = Arrays.stream(seen).mapToInt(state::itemRowOfDbId).filter(r -> r >= 0).distinct().toArray();
            for (int row : seenRows) {
                excluded.set(row);
            }
            int user = state.userRow(userId);
            if (user >= 0) {
                result = fromModel(userId, MODEL, state, state.userVector(user), excluded, k);
            } else if (seenRows.length > 0) {
                result = fromModel(userId, FOLD_IN, state, state.meanOfItems(seenRows), excluded, k);
            }
        }
        if (result == null) {
            result = popular(userId, state, seen, k);
        }
        metrics.recommendation(result.strategy(), System.nanoTime() - start);
        return result;
    }

    private static Recommendation fromModel(String userId, String strategy, ServingState state, float[] query,
            BitSet excluded, int k) {
        TopK.Ranked ranked = state.topByInnerProduct(query, excluded, k);
        return new Recommendation(userId, state.model().version(), strategy, items(state, ranked));
    }

    private Recommendation popular(String userId, ServingState state, long[] seen, int k) {
        long[] sortedSeen = seen.clone();
        Arrays.sort(sortedSeen);
        List<ScoredItem> items = new ArrayList<>(k);
        for (ItemCount item : popular.ranking()) {
            if (items.size() == k) {
                break;
            }
            if (Arrays.binarySearch(sortedSeen, item.itemId()) < 0) {
                items.add(new ScoredItem(item.externalId(), item.count()));
            }
        }
        return new Recommendation(userId, state.hasModel() ? state.model().version() : null, POPULAR, items);
    }

    /**
     * The k items nearest to {@code itemId}: cosine similarity of the fused item embeddings of the
     * active model (derived ones included); before any model, cosine similarity in feature space.
     * Empty if the item is not in the catalogue.
     */
    public Optional<SimilarItems> similar(String itemId, int k) {
        ServingState state = activeModel.state();
        int row = state.itemRow(itemId);
        if (row >= 0) {
            return Optional.of(new SimilarItems(itemId, state.model().version(), "embedding-cosine",
                    items(state, state.nearestByCosine(row, k))));
        }
        Catalogue catalogue = state.catalogue();
        int index = catalogue.indexOf(itemId);
        if (index < 0) {
            return Optional.empty();
        }
        TopK.Ranked ranked = catalogue.nearestByFeatures(index, k);
        List<ScoredItem> items = new ArrayList<>(ranked.indices().length);
        for (int r = 0; r < ranked.indices().length; r++) {
            items.add(new ScoredItem(catalogue.items().get(ranked.indices()[r]).externalId(), ranked.scores()[r]));
        }
        return Optional.of(new SimilarItems(itemId, state.hasModel() ? state.model().version() : null,
                "feature-cosine", items));
    }

    private static List<ScoredItem> items(ServingState state, TopK.Ranked ranked) {
        List<ScoredItem> items = new ArrayList<>(ranked.indices().length);
        for (int r = 0; r < ranked.indices().length; r++) {
            items.add(new ScoredItem(state.itemId(ranked.indices()[r]), ranked.scores()[r]));
        }
        return items;
    }
}
