package io.mambarec.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * One retraining job at a time across every replica, with PostgreSQL advisory locks (key pairs
 * in class "MREC"; the registry's activation lock is pair 2):
 * <ul>
 * <li>the RUN lock is held, at session level, by the connection of the job that is training:
 * it is released when the job ends or when its process dies (the connection closes), so a
 * killed replica never blocks retraining;</li>
 * <li>the SUBMIT lock (transaction level) serialises submissions, so two concurrent
 * {@code POST /retrain} never both see "nothing running".</li>
 * </ul>
 */
@Component
public class RetrainLock {

    private static final int LOCK_CLASS = 0x4D524543; // "MREC"
    private static final int RUN = 1;
    private static final int SUBMIT = 3;

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;

    public RetrainLock(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.dataSource = jdbc.getDataSource();
    }

    /** Inside a transaction: waits for other submitters until this transaction ends. */
    void serializeSubmissions() {
        jdbc.queryForObject("select pg_advisory_xact_lock(?, ?)::text", String.class, LOCK_CLASS, SUBMIT);
    }

    /** Inside a transaction: true when no job holds the RUN lock anywhere (the probe is released at commit). */
    boolean noJobRunning() {
        return Boolean.TRUE.equals(jdbc.queryForObject("select pg_try_advisory_xact_lock(?, ?)", Boolean.class,
                LOCK_CLASS, RUN));
    }

    /**
     * Takes the RUN lock on a connection of its own, held until {@link Held#close()}; waits up to
     * {@code patience} for a submitter's probe to end. Throws when another job holds it.
     */
    Held acquireRunLock(Duration patience) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(true);
            long deadline = System.nanoTime() + patience.toNanos();
            while (true) {
                try (PreparedStatement ps = connection.prepareStatement("select pg_try_advisory_lock(?, ?)")) {
                    ps.setInt(1, LOCK_CLASS);
                    ps.setInt(2, RUN);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getBoolean(1)) {
                            return new Held(connection);
                        }
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("another retraining job holds the run lock");
                }
                Thread.sleep(100);
            }
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        } catch (InterruptedException e) {
            connection.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the run lock", e);
        }
    }

    /** The held RUN lock; closing unlocks it and returns the connection. */
    static final class Held implements AutoCloseable {

        private final Connection connection;

        private Held(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void close() throws SQLException {
            try (connection; PreparedStatement ps = connection.prepareStatement("select pg_advisory_unlock(?, ?)")) {
                ps.setInt(1, LOCK_CLASS);
                ps.setInt(2, RUN);
                ps.execute();
            }
        }
    }
}
