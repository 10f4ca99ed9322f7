package io.mambarec.serving;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The rules of {@link ItemRules} laid over a list of rows (the serving state's items, or the
 * catalogue's): which rows are never eligible, and the rows of each category. A request turns
 * them, with its own filter, into two bit sets that the top-k scan tests for every row, so the
 * answer has k items whenever k rows are eligible (no over-fetching and dropping).
 */
final class RowFilter {

    private final BitSet ineligible;
    private final Map<String, BitSet> rowsByCategory;

    RowFilter(String[] rowIds, ItemRules rules) {
        ineligible = new BitSet(rowIds.length);
        rowsByCategory = new HashMap<>();
        for (int row = 0; row < rowIds.length; row++) {
            if (!rules.eligible(rowIds[row])) {
                ineligible.set(row);
            }
            for (String category : rules.categories(rowIds[row])) {
                rowsByCategory
                        .computeIfAbsent(category, c -> new BitSet(rowIds.length))
                        .set(row);
            }
        }
    }

    /** Rows a request must skip: ineligible ones and the filter's excluded items ({@code rowOf}: -1 if absent). */
    BitSet excluded(ItemFilter filter, ToIntFunction<String> rowOf) {
        BitSet excluded = (BitSet) ineligible.clone();
        for (String id : filter.excluded()) {
            int row = rowOf.applyAsInt(id);
            if (row >= 0) {
                excluded.set(row);
            }
        }
        return excluded;
    }

    /** Rows in any of the filter's categories, or null when the filter names none (every row allowed). */
    BitSet allowed(ItemFilter filter) {
        if (filter.categories().isEmpty()) {
            return null;
        }
        BitSet allowed = new BitSet();
        for (String category : filter.categories()) {
            BitSet rows = rowsByCategory.get(category);
            if (rows != null) {
                allowed.or(rows);
            }
        }
        return allowed;
    }

    /** True when the row is never eligible (out of stock or retired). */
    boolean ineligible(int row) {
        return ineligible.get(row);
    }

    /** True when {@code row} passes both sets of a request. */
    static boolean passes(int row, BitSet excluded, BitSet allowed) {
        return !excluded.get(row) && (allowed == null || allowed.get(row));
    }
}
