package io.mambarec.events;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a user did with an item. {@link #PURCHASE} is the default (an event without a type). */
public enum EventType {
    VIEW,
    CART,
    PURCHASE,
    LIKE,
    DISLIKE;

    /** The names the API and the database use: {@code view}, {@code cart}, ... */
    public static final String PATTERN = "view|cart|purchase|like|dislike";

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EventType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst();
    }
}
