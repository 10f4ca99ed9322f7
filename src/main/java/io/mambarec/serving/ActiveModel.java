package io.mambarec.serving;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;

/**
 * The model version this replica serves, with everything derived from it ({@link ServingState}).
 * Activation and catalogue changes build a new state off the request path and replace the
 * reference in one step: a request reads it once and works on that snapshot, so a swap never
 * drops or mixes a request.
 */
@Component
public class ActiveModel {

    private final AtomicReference<ServingState> state =
            new AtomicReference<>(ServingState.withoutModel(Catalogue.empty()));

    /** Told of every newly served model version (they must return at once: work goes to their own threads). */
    private final List<Consumer<ServingState>> onActivation = new CopyOnWriteArrayList<>();

    /** {@code listener} gets the first state of each model version served from now on. */
    public void onActivation(Consumer<ServingState> listener) {
        onActivation.add(listener);
    }

    public Optional<ServingModel> current() {
        return Optional.ofNullable(state.get().model());
    }

    /** Serves {@code model} from now on (null: no model, popular only); returns the version it replaced, if any. */
    public synchronized Optional<ServingModel> activate(ServingModel model) {
        ServingState previous = state.get();
        ServingState next = ServingState.build(model, previous.catalogue(), previous);
        state.set(next);
        if (model != null && model != previous.model()) {
            onActivation.forEach(listener -> listener.accept(next));
        }
        return Optional.ofNullable(previous.model());
    }

    /** The catalogue changed (reload, or an item written through the API): derive embeddings for new items. */
    public synchronized void catalogueChanged(Catalogue catalogue) {
        ServingState previous = state.get();
        state.set(ServingState.build(previous.model(), catalogue, previous));
    }

    /** Items' stock, retirement or categories changed: the filters of every request from now on. */
    public synchronized void rulesChanged(ItemRules rules) {
        state.set(state.get().withRules(rules));
    }

    /** The current snapshot (read once per request). */
    public ServingState state() {
        return state.get();
    }
}
