package io.mambarec.events;

import io.mambarec.config.MambaRecProperties;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * How much an event of each type counts as a training positive ({@code mambarec.events.weight.*}):
 * a (user, item) pair trains in an epoch with probability equal to the largest weight among its
 * events (1: every epoch, 0: never). A dislike is never a positive: a pair with a dislike does not
 * train at all, whatever else the user did with the item.
 */
@Component
public class EventWeights {

    private final Map<EventType, Float> weights = new EnumMap<>(EventType.class);

    @Autowired
    public EventWeights(MambaRecProperties properties) {
        this(properties.events().weight());
    }

    public EventWeights(MambaRecProperties.Events.Weight weight) {
        this(weight.view(), weight.cart(), weight.purchase(), weight.like());
    }

    public EventWeights(double view, double cart, double purchase, double like) {
        put(EventType.VIEW, view);
        put(EventType.CART, cart);
        put(EventType.PURCHASE, purchase);
        put(EventType.LIKE, like);
        weights.put(EventType.DISLIKE, 0f);
    }

    /** Every type at its default weight. */
    public static EventWeights defaults() {
        return new EventWeights(MambaRecProperties.defaults().events().weight());
    }

    private void put(EventType type, double weight) {
        if (!(weight >= 0 && weight <= 1)) {
            throw new IllegalArgumentException(
                    "mambarec.events.weight." + type.wireName() + " must be between 0 and 1, not " + weight);
        }
        weights.put(type, (float) weight);
    }

    /** The sampling weight of a positive of this type (0 for a dislike). */
    public float of(EventType type) {
        return weights.get(type);
    }
}
