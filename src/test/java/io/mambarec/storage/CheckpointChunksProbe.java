package io.mambarec.storage;

import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HexFormat;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Run in a JVM of its own with a small heap by {@link CheckpointChunksHeapTest}: saves a job's
 * checkpoint of {@code size} pseudo-random bytes through {@link CheckpointRepository} and reads it
 * back ({@code chunks}), or reads the stored checkpoint as the one bytea it used to be
 * ({@code bytea}); prints the SHA-256 of what it wrote and read.
 *
 * <p>Arguments: url user password job-id attempt size mode.
 */
public final class CheckpointChunksProbe {

    private CheckpointChunksProbe() {}

    public static void main(String[] args) throws Exception {
        UUID job = UUID.fromString(args[3]);
        JobQueue.Claim claim = new JobQueue.Claim(job, Integer.parseInt(args[4]), "{}");
        long size = Long.parseLong(args[5]);
        String fingerprint = "f".repeat(64);
        try (Connection c = DriverManager.getConnection(args[0], args[1], args[2])) {
            SingleConnectionDataSource data = new SingleConnectionDataSource(c, true);
            JdbcTemplate jdbc = new JdbcTemplate(data);
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(data));
            if ("chunks".equals(args[6])) {
                CheckpointRepository checkpoints = new CheckpointRepository(jdbc);
                MessageDigest written = MessageDigest.getInstance("SHA-256");
                Boolean saved = tx.execute(s -> checkpoints.save(
                        claim,
                        1,
                        out -> new DigestInputStream(new RandomBytes(size, 17), written).transferTo(out),
                        fingerprint));
                System.out.println(
                        "saved " + saved + " written " + HexFormat.of().formatHex(written.digest()));
                tx.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
                String read = tx.execute(s -> checkpoints
                        .latest(job, fingerprint, CheckpointChunksProbe::sha256)
                        .orElseThrow()
                        .state());
                System.out.println("read " + read);
            } else {
                byte[] whole = jdbc.queryForObject(
                        "SELECT string_agg(bytes, ''::bytea ORDER BY seq) FROM training_checkpoint_chunk"
                                + " WHERE job_id = ?",
                        byte[].class,
                        job);
                System.out.println("read "
                        + HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(whole)));
            }
        }
    }

    private static String sha256(InputStream in) throws java.io.IOException {
        MessageDigest digest = ChunkTable.sha256();
        byte[] buffer = new byte[1 << 16];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
