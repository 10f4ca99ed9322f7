package io.mambarec.storage;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Which users' interactions changed, across replicas, over PostgreSQL LISTEN/NOTIFY.
 *
 * <p>{@link InteractionStore#ingest} sends the ids of the batch's users with {@code pg_notify} in
 * the same transaction, so PostgreSQL delivers them only once the rows are committed (and never for
 * a rolled-back batch). One thread per replica holds a dedicated connection that LISTENs and hands
 * every notification to the {@link Subscriber}s. Notifications sent while nobody listened are lost,
 * so subscribers are told when listening starts ({@link Subscriber#listening()}) and stops
 * ({@link Subscriber#lost()}); a subscriber that caches must trust its cache only in between.
 */
@Component
public class InteractionChangeFeed implements SmartLifecycle {

    static final String CHANNEL = "mambarec_interactions";
    /** PostgreSQL refuses payloads of 8000 bytes or more; ids are ASCII (see the API's id pattern). */
    static final int MAX_PAYLOAD_BYTES = 7_000; // (an erasure payload adds one byte of prefix)

    private static final char SEPARATOR = '\n';
    /** The payload for "any user may have changed" (bulk import); never a user id (see the API's id pattern). */
    static final String EVERYONE = "*";
    /** The payload for "items' stock, retirement or categories changed"; never a user id. */
    static final String RULES = "#rules";
    /** Prefix of a payload naming erased users (DELETE /users/{id}); never part of a user id. */
    static final String ERASED = "!";
    /** How often an idle listening connection is checked with a round trip (a dead socket may not say so). */
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    /** Told about changes to the interaction log. Called on the feed's thread; keep it quick. */
    public interface Subscriber {

        /** Listening (again): from now on every committed change is announced. */
        void listening();

        /** Not listening: changes may go unannounced until {@link #listening()}. */
        void lost();

        /** These users' interactions changed (committed). */
        void usersChanged(List<String> userIds);

        /** Any user's interactions may have changed (a bulk import was committed). */
        void allChanged();

        /** Items' metadata changed (stock, retirement, categories): filters must be reloaded. */
        default void rulesChanged() {}

        /** These users were erased (their interactions are gone too: {@link #usersChanged} follows). */
        default void usersErased(List<String> userIds) {}
    }

    /** Tells every replica, at the commit of the caller's transaction, that item metadata changed. */
    public static void announceRules(org.springframework.jdbc.core.JdbcTemplate jdbc) {
        InteractionStore.announce(jdbc, List.of(RULES));
    }

    /** Tells every replica, at the commit of the caller's transaction, that these users were erased. */
    public static void announceErased(org.springframework.jdbc.core.JdbcTemplate jdbc, Collection<String> userIds) {
        InteractionStore.announce(
                jdbc, payloads(userIds).stream().map(p -> ERASED + p).toList());
    }

    private static final Logger log = LoggerFactory.getLogger(InteractionChangeFeed.class);

    private final DataSource dataSource;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private volatile boolean running;
    private Thread thread;

    public InteractionChangeFeed(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void subscribe(Subscriber subscriber) {
        subscribers.add(subscriber);
    }

    /** The notification payloads announcing these users: ids separated by newlines, each payload small enough. */
    static List<String> payloads(Collection<String> userIds) {
        List<String> payloads = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String id : userIds) {
            if (current.length() > 0 && current.length() + 1 + id.length() > MAX_PAYLOAD_BYTES) {
                payloads.add(current.toString());
                current.setLength(0);
            }
            if (current.length() > 0) {
                current.append(SEPARATOR);
            }
            current.append(id);
        }
        if (current.length() > 0) {
            payloads.add(current.toString());
        }
        return payloads;
    }

    private void dispatch(String payload) {
        if (EVERYONE.equals(payload)) {
            subscribers.forEach(Subscriber::allChanged);
        } else if (RULES.equals(payload)) {
            subscribers.forEach(Subscriber::rulesChanged);
        } else if (payload.startsWith(ERASED)) {
            List<String> users = userIds(payload.substring(ERASED.length()));
            subscribers.forEach(s -> s.usersErased(users));
            subscribers.forEach(s -> s.usersChanged(users));
        } else {
            List<String> users = userIds(payload);
            subscribers.forEach(s -> s.usersChanged(users));
        }
    }

    static List<String> userIds(String payload) {
        return payload.isEmpty() ? List.of() : Arrays.asList(payload.split(String.valueOf(SEPARATOR)));
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::listenUntilStopped, "interaction-change-feed");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        Thread listener;
        synchronized (this) {
            running = false;
            listener = thread;
            thread = null;
        }
        if (listener != null) {
            listener.interrupt();
            try {
                listener.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listenUntilStopped() {
        long backoffMillis = 200;
        while (running) {
            Connection connection = null;
            boolean broken = false;
            try {
                connection = dataSource.getConnection();
                listen(connection);
                backoffMillis = 200;
            } catch (SQLException | RuntimeException e) {
                broken = true;
                if (running) {
                    log.warn(
                            "Interaction change feed lost its connection (retrying in {} ms): {}",
                            backoffMillis,
                            e.getMessage());
                }
            } finally {
                subscribers.forEach(Subscriber::lost);
                release(connection, broken);
            }
            if (running) {
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException e) {
                    return;
                }
                backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
            }
        }
    }

    /**
     * Gives the connection back, or, when it failed, makes the pool discard it: notifications are
     * read through the driver's own API, past the pool's proxy, which therefore never saw the error
     * and would hand the dead connection to the next request.
     */
    private void release(Connection connection, boolean broken) {
        if (connection == null) {
            return;
        }
        try {
            if (broken && dataSource.isWrapperFor(HikariDataSource.class)) {
                dataSource.unwrap(HikariDataSource.class).evictConnection(connection);
            } else {
                connection.close();
            }
        } catch (SQLException | RuntimeException e) {
            log.debug("closing the change feed's connection failed: {}", e.getMessage());
        }
    }

    /** LISTENs on {@code connection} and dispatches notifications until stopped or the connection fails. */
    private void listen(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.setAutoCommit(true);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        }
        PGConnection postgres = connection.unwrap(PGConnection.class);
        subscribers.forEach(Subscriber::listening);
        log.info("Listening for interaction changes on channel {}", CHANNEL);
        long lastRoundTrip = System.nanoTime();
        while (running) {
            PGNotification[] notifications = postgres.getNotifications(1_000);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    dispatch(notification.getParameter());
                }
            }
            if (System.nanoTime() - lastRoundTrip > HEARTBEAT.toNanos()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
                lastRoundTrip = System.nanoTime();
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN " + CHANNEL);
        }
    }
}
