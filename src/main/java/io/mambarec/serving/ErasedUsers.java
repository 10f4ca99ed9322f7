package io.mambarec.serving;

import io.mambarec.storage.InteractionChangeFeed;
import io.mambarec.storage.UserErasureStore;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The users erased through {@code DELETE /users/{id}}, by the SHA-256 of their id (the id itself
 * is not kept). A model version trained before an erasure still holds the user's embedding, so
 * serving never uses a model's row for an erased id: the user is served as unknown. Every replica
 * learns of an erasure through the change feed the moment it commits, and reloads the whole list
 * whenever the feed (re)starts listening, so none is missed.
 *
 * <p>An erased id that comes back (new events) is served by fold-in from its new events: the mask
 * stays, since the versions trained before the erasure stay in the registry (rollback).
 */
@Component
public class ErasedUsers implements InteractionChangeFeed.Subscriber {

    private static final Logger log = LoggerFactory.getLogger(ErasedUsers.class);

    private final UserErasureStore store;
    private final Set<String> hashes = ConcurrentHashMap.newKeySet();

    public ErasedUsers(UserErasureStore store, InteractionChangeFeed feed) {
        this.store = store;
        feed.subscribe(this);
    }

    /** True if the user was erased: the model's row for them must not be used. */
    public boolean isErasedFrom(String userId, ServingModel model) {
        return !hashes.isEmpty() && model != null && hashes.contains(UserErasureStore.subjectHash(userId));
    }

    /** This replica has just committed the erasure of these users. */
    public void erased(Collection<String> userIds) {
        userIds.forEach(id -> hashes.add(UserErasureStore.subjectHash(id)));
    }

    @Override
    public void usersErased(List<String> userIds) {
        erased(userIds);
    }

    @Override
    public void listening() {
        try {
            hashes.addAll(store.erasedSubjects());
        } catch (RuntimeException e) {
            log.warn("Could not load the erased users: {}", e.getMessage());
        }
    }

    @Override
    public void lost() {}

    @Override
    public void usersChanged(List<String> userIds) {}

    @Override
    public void allChanged() {}
}
