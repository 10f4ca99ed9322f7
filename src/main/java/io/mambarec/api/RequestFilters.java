package io.mambarec.api;

import io.mambarec.serving.ItemFilter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The {@code category=} and {@code exclude=} filters of the recommendation endpoints, checked. */
final class RequestFilters {

    /** A category: 1-64 characters, no comma (the separator of {@code category=}), no control character. */
    static final String CATEGORY_PATTERN = "[^,\\p{Cntrl}]{1,64}";

    static final String CATEGORY_MESSAGE = "must be 1-64 characters without commas or control characters";
    static final int MAX_CATEGORIES = 50;
    static final int MAX_EXCLUDED = 1000;
    private static final Pattern CATEGORY = Pattern.compile(CATEGORY_PATTERN);
    private static final Pattern ID = Pattern.compile(ApiIds.PATTERN);

    private RequestFilters() {}

    /** From comma-separated query parameters (null: no such filter). */
    static ItemFilter parse(String categories, String exclude) {
        return of(
                categories == null ? List.of() : List.of(categories.split(",", -1)),
                exclude == null ? List.of() : List.of(exclude.split(",", -1)));
    }

    /** From lists (a JSON body); every element checked, at most 50 categories and 1,000 excluded ids. */
    static ItemFilter of(List<String> categories, List<String> exclude) {
        return new ItemFilter(
                checked("category", categories, CATEGORY, CATEGORY_MESSAGE, MAX_CATEGORIES),
                checked("exclude", exclude, ID, ApiIds.MESSAGE, MAX_EXCLUDED));
    }

    private static Set<String> checked(String name, List<String> values, Pattern pattern, String message, int max) {
        if (values.size() > max) {
            throw Problems.badRequest(name + " names " + values.size() + " values; at most " + max);
        }
        Set<String> out = new LinkedHashSet<>();
        for (String value : values) {
            if (value == null || !pattern.matcher(value).matches() || value.isBlank()) {
                throw Problems.badRequest(
                        name + " value '" + (value == null ? "null" : abbreviated(value)) + "' " + message);
            }
            out.add(value);
        }
        return out;
    }

    private static String abbreviated(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 70 ? printable.substring(0, 70) + "..." : printable;
    }
}
