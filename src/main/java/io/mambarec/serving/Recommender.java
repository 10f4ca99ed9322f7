package io.mambarec.serving;

import io.mambarec.config.MambaRecProperties;
import io.mambarec.metrics.ServiceMetrics;
import io.mambarec.serving.Recommendation.ScoredItem;
import io.mambarec.storage.InteractionStore.ItemCount;
import io.mambarec.storage.InteractionStore.UnknownItemsException;
import io.mambarec.storage.InteractionStore.UserItems;
import io.mambarec.storage.ItemMetadataStore.ItemRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Top-K recommendation and similar items over the {@link ServingState} (plain float arrays).
 * The items a user has interacted with come from {@link SeenItems}, which every replica keeps in
 * step with the interaction table, so an event stored a moment ago by any replica is excluded. Strategies:
 * <ul>
 *   <li>{@code model}: the model knows the user; score = z_u . z_i over every item with an embedding.</li>
 *   <li>{@code fold-in}: the model does not know the user, who has stored interactions: z_u is the
 *   mean of the embeddings of the items they interacted with, dislikes left out (a LightGCN-style
 *   one-hop aggregation).</li>
 *   <li>{@code session}: {@code POST /recommend}: z_u folded in from the session's items (and the
 *   user's stored history, half and half).</li>
 *   <li>{@code popular}: no interactions, or no model yet: the most interacted-with unseen items,
 *   with a share of the slots reserved for the newest items.</li>
 * </ul>
 * Every strategy applies the {@link ItemFilter} and the {@link ItemRules} inside its top-k scan:
 * unavailable and retired items are never returned, and the answer has k items whenever k items
 * are eligible. An unfiltered {@code model} request is answered from the user's
 * {@link CandidateLists} when they hold its exact answer, by the scan otherwise.
 */
@Service
public class Recommender {

    public static final String MODEL = "model";
    public static final String FOLD_IN = "fold-in";
    public static final String SESSION = "session";
    public static final String POPULAR = "popular";

    private final ActiveModel activeModel;
    private final SeenItems seenItems;
    private final PopularItems popular;
    private final ErasedUsers erased;
    private final CandidateLists candidates;
    private final ServiceMetrics metrics;
    private final double freshShare;

    public Recommender(
            ActiveModel activeModel,
            SeenItems seenItems,
            PopularItems popular,
            ErasedUsers erased,
            CandidateLists candidates,
            ServiceMetrics metrics,
            MambaRecProperties properties) {
        this.activeModel = activeModel;
        this.seenItems = seenItems;
        this.popular = popular;
        this.erased = erased;
        this.candidates = candidates;
        this.metrics = metrics;
        this.freshShare = properties.serving().freshShare();
    }

    public Recommendation recommend(String userId, int k) {
        return recommend(userId, k, ItemFilter.NONE);
    }

    public Recommendation recommend(String userId, int k, ItemFilter filter) {
        long start = System.nanoTime();
        UserItems seen = seenItems.items(userId);
        ServingState state = activeModel.state();
        Recommendation result = null;
        int user = state.hasModel() && !erased.isErasedFrom(userId, state.model()) ? state.userRow(userId) : -1;
        if (user >= 0 && filter.categories().isEmpty()) {
            result = fromRanking(userId, state, user, seen.all(), filter, k);
        }
        if (result == null && state.hasModel()) {
            BitSet excluded = state.excludedRows(filter);
            markRows(state, seen.all(), excluded);
            BitSet allowed = state.allowedRows(filter);
            if (user >= 0) {
                result = fromModel(userId, MODEL, state, state.userVector(user), excluded, allowed, k);
            } else {
                int[] liked = rows(state, seen.liked());
                if (liked.length > 0) {
                    result = fromModel(userId, FOLD_IN, state, state.meanOfItems(liked), excluded, allowed, k);
                }
            }
        }
        if (result == null) {
            result = popular(userId, state, seen.all(), filter, k);
        }
        metrics.recommendation(result.strategy(), System.nanoTime() - start);
        return result;
    }

    /**
     * Recommendations for a session: the user vector folded in from {@code recentItems} (and, for a
     * known {@code userId}, half from the user's stored history), the session's items excluded.
     * Popular items when no model is active or none of the items has an embedding.
     *
     * @throws UnknownItemsException when a session item is not in the catalogue
     */
    public Recommendation session(String userId, List<String> recentItems, int k, ItemFilter filter) {
        long start = System.nanoTime();
        ServingState state = activeModel.state();
        List<String> unknown = recentItems.stream()
                .filter(id -> state.catalogue().indexOf(id) < 0 && state.itemRow(id) < 0)
                .distinct()
                .toList();
        if (!unknown.isEmpty()) {
            throw new UnknownItemsException(unknown);
        }
        UserItems seen = userId == null ? UserItems.NONE : seenItems.items(userId);
        ItemFilter withSession = filter.excluding(recentItems);
        Recommendation result = null;
        if (state.hasModel()) {
            int[] recent = recentItems.stream()
                    .mapToInt(state::itemRow)
                    .filter(r -> r >= 0)
                    .distinct()
                    .toArray();
            if (recent.length > 0) {
                float[] query = state.meanOfItems(recent);
                int[] history = rows(state, seen.liked());
                if (history.length > 0) {
                    float[] past = state.meanOfItems(history);
                    for (int d = 0; d < query.length; d++) {
                        query[d] = 0.5f * query[d] + 0.5f * past[d];
                    }
                }
                BitSet excluded = state.excludedRows(withSession);
                markRows(state, seen.all(), excluded);
                result = fromModel(userId, SESSION, state, query, excluded, state.allowedRows(withSession), k);
            }
        }
        if (result == null) {
            result = popular(userId, state, seen.all(), withSession, k);
        }
        metrics.recommendation(result.strategy(), System.nanoTime() - start);
        return result;
    }

    private static int[] rows(ServingState state, long[] dbIds) {
        return Arrays.stream(dbIds)
                .mapToInt(state::itemRowOfDbId)
                .filter(r -> r >= 0)
                .distinct()
                .toArray();
    }

    private static void markRows(ServingState state, long[] dbIds, BitSet excluded) {
        for (long id : dbIds) {
            int row = state.itemRowOfDbId(id);
            if (row >= 0) {
                excluded.set(row);
            }
        }
    }

    /** The user's answer from their candidate list, or null when the list cannot give it exactly. */
    private Recommendation fromRanking(
            String userId, ServingState state, int user, long[] seen, ItemFilter filter, int k) {
        int[] ranking = candidates.ranking(state, user);
        if (ranking == null) {
            return null;
        }
        TopK.Ranked ranked = state.topFromRanking(state.userVector(user), ranking, state.skippedRows(filter, seen), k);
        candidates.answered(ranked != null);
        return ranked == null ? null : new Recommendation(userId, state.model().version(), MODEL, items(state, ranked));
    }

    private static Recommendation fromModel(
            String userId, String strategy, ServingState state, float[] query, BitSet excluded, BitSet allowed, int k) {
        TopK.Ranked ranked = state.topByInnerProduct(query, excluded, allowed, k);
        return new Recommendation(userId, state.model().version(), strategy, items(state, ranked));
    }

    /**
     * The most interacted-with eligible items the user has not seen, with {@code fresh-share} of k
     * (at least one slot when the share is above 0) reserved for the newest eligible items, so a new
     * item reaches people and gathers events; slots the newest items cannot fill go to popular ones.
     * Scores are interaction counts, best first.
     */
    private Recommendation popular(String userId, ServingState state, long[] seen, ItemFilter filter, int k) {
        ItemRules rules = state.rules();
        Set<Long> skip = new HashSet<>();
        for (long id : seen) {
            skip.add(id);
        }
        int freshSlots = freshShare == 0 ? 0 : Math.min(k, Math.max(1, (int) Math.round(k * freshShare)));
        List<ScoredItem> items = new ArrayList<>(k);
        List<ItemCount> ranking = popular.ranking();
        int next = takePopular(ranking, 0, k - freshSlots, rules, filter, skip, items);
        for (ItemRule rule : rules.newestEligibleFirst()) {
            if (items.size() == k) {
                break;
            }
            if (!skip.contains(rule.id()) && filter.admits(rule.externalId(), rule.categories())) {
                skip.add(rule.id());
                items.add(new ScoredItem(rule.externalId(), popular.count(rule.id())));
            }
        }
        takePopular(ranking, next, k - items.size(), rules, filter, skip, items);
        items.sort(Comparator.comparingDouble(ScoredItem::score).reversed());
        return new Recommendation(userId, state.hasModel() ? state.model().version() : null, POPULAR, items);
    }

    /** Adds up to {@code wanted} eligible ranked items from position {@code from} on; returns where it stopped. */
    private static int takePopular(
            List<ItemCount> ranking,
            int from,
            int wanted,
            ItemRules rules,
            ItemFilter filter,
            Set<Long> skip,
            List<ScoredItem> out) {
        int taken = 0;
        int k = from;
        for (; k < ranking.size() && taken < wanted; k++) {
            ItemCount item = ranking.get(k);
            if (!skip.contains(item.itemId())
                    && rules.eligible(item.externalId())
                    && filter.admits(item.externalId(), rules.categories(item.externalId()))) {
                skip.add(item.itemId());
                out.add(new ScoredItem(item.externalId(), item.count()));
                taken++;
            }
        }
        return k;
    }

    public Optional<SimilarItems> similar(String itemId, int k) {
        return similar(itemId, k, ItemFilter.NONE);
    }

    /**
     * The k items nearest to {@code itemId}: cosine similarity of the fused item embeddings of the
     * active model (derived ones included); before any model, cosine similarity in feature space.
     * Empty if the item is not in the catalogue or is retired.
     */
    public Optional<SimilarItems> similar(String itemId, int k, ItemFilter filter) {
        ServingState state = activeModel.state();
        if (state.rules().retired(itemId)) {
            return Optional.empty();
        }
        int row = state.itemRow(itemId);
        if (row >= 0) {
            return Optional.of(new SimilarItems(
                    itemId,
                    state.model().version(),
                    "embedding-cosine",
                    items(
                            state,
                            state.nearestByCosine(row, state.excludedRows(filter), state.allowedRows(filter), k))));
        }
        Catalogue catalogue = state.catalogue();
        int index = catalogue.indexOf(itemId);
        if (index < 0) {
            return Optional.empty();
        }
        TopK.Ranked ranked = catalogue.nearestByFeatures(
                index, state.excludedCatalogueItems(filter), state.allowedCatalogueItems(filter), k);
        List<ScoredItem> items = new ArrayList<>(ranked.indices().length);
        for (int r = 0; r < ranked.indices().length; r++) {
            items.add(new ScoredItem(catalogue.items().get(ranked.indices()[r]).externalId(), ranked.scores()[r]));
        }
        return Optional.of(
                new SimilarItems(itemId, state.hasModel() ? state.model().version() : null, "feature-cosine", items));
    }

    private static List<ScoredItem> items(ServingState state, TopK.Ranked ranked) {
        List<ScoredItem> items = new ArrayList<>(ranked.indices().length);
        for (int r = 0; r < ranked.indices().length; r++) {
            items.add(new ScoredItem(state.itemId(ranked.indices()[r]), ranked.scores()[r]));
        }
        return items;
    }
}
