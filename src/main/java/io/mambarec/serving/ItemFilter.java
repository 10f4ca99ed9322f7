package io.mambarec.serving;

import java.util.Set;

/**
 * A request's filters: only items in any of {@code categories} (empty: no category filter), never
 * the items of {@code excluded}. Unavailable and retired items are always left out.
 */
public record ItemFilter(Set<String> categories, Set<String> excluded) {

    public static final ItemFilter NONE = new ItemFilter(Set.of(), Set.of());

    public ItemFilter {
        categories = Set.copyOf(categories);
        excluded = Set.copyOf(excluded);
    }

    /** Whether an item passes the request's own filters (not the rules), given its categories. */
    boolean admits(String externalId, Iterable<String> itemCategories) {
        if (excluded.contains(externalId)) {
            return false;
        }
        if (categories.isEmpty()) {
            return true;
        }
        for (String c : itemCategories) {
            if (categories.contains(c)) {
                return true;
            }
        }
        return false;
    }

    /** The same filter with more excluded items. */
    public ItemFilter excluding(java.util.Collection<String> more) {
        java.util.Set<String> all = new java.util.HashSet<>(excluded);
        all.addAll(more);
        return new ItemFilter(categories, all);
    }
}
