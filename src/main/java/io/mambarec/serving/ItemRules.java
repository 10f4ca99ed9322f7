package io.mambarec.serving;

import io.mambarec.storage.ItemMetadataStore.ItemRule;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shop's rules of every catalogue item as serving applies them (immutable, replaced on
 * change): available or out of stock, retired or not, its categories and age. An item without a
 * rule (written a moment ago, before the rules were reloaded) counts as available in no category.
 */
public final class ItemRules {

    private final Map<String, ItemRule> byExternalId;
    private final List<ItemRule> newestEligibleFirst;

    private ItemRules(List<ItemRule> rules) {
        this.byExternalId = new HashMap<>(rules.size() * 2);
        rules.forEach(r -> byExternalId.put(r.externalId(), r));
        this.newestEligibleFirst = rules.stream()
                .filter(ItemRule::eligible)
                .sorted(Comparator.comparing(ItemRule::createdAt)
                        .reversed()
                        .thenComparing(ItemRule::id, Comparator.reverseOrder()))
                .toList();
    }

    public static ItemRules of(List<ItemRule> rules) {
        return new ItemRules(rules);
    }

    /** A copy with this item's rule added or replaced (one item's stock or categories changed). */
    public ItemRules with(ItemRule rule) {
        Map<String, ItemRule> all = new HashMap<>(byExternalId);
        all.put(rule.externalId(), rule);
        return new ItemRules(List.copyOf(all.values()));
    }

    public static ItemRules none() {
        return new ItemRules(List.of());
    }

    /** Available and not retired (true for an item without a rule). */
    public boolean eligible(String externalId) {
        ItemRule rule = byExternalId.get(externalId);
        return rule == null || rule.eligible();
    }

    public boolean retired(String externalId) {
        ItemRule rule = byExternalId.get(externalId);
        return rule != null && rule.retired();
    }

    /** The item's categories (empty without a rule). */
    public List<String> categories(String externalId) {
        ItemRule rule = byExternalId.get(externalId);
        return rule == null ? List.of() : rule.categories();
    }

    /** Eligible items, the most recently created first (the fresh share of the popular lists). */
    public List<ItemRule> newestEligibleFirst() {
        return newestEligibleFirst;
    }
}
