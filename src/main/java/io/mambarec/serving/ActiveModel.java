package io.mambarec.serving;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * The model version this replica serves. Activation replaces the reference in one step: a request
 * reads it once and works on that snapshot, so a swap never drops or mixes a request.
 */
@Component
public class ActiveModel {

    private final AtomicReference<ServingModel> current = new AtomicReference<>();

    public Optional<ServingModel> current() {
        return Optional.ofNullable(current.get());
    }

    /** Serves {@code model} from now on; returns the version it replaced, if any. */
    public Optional<ServingModel> activate(ServingModel model) {
        return Optional.ofNullable(current.getAndSet(model));
    }
}
