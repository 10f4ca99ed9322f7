package io.mambarec.storage;

import java.io.InputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HexFormat;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Run in a JVM of its own with a small heap by {@link ModelParameterChunksHeapTest}: reads a
 * version's parameters, as chunks ({@code chunks}) or as the one bytea they used to be
 * ({@code bytea}), and prints their SHA-256.
 *
 * <p>Arguments: url user password version size mode.
 */
public final class ChunkReadProbe {

    private ChunkReadProbe() {}

    public static void main(String[] args) throws Exception {
        long version = Long.parseLong(args[3]);
        long size = Long.parseLong(args[4]);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (Connection c = DriverManager.getConnection(args[0], args[1], args[2])) {
            JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(c, true));
            if ("chunks".equals(args[5])) {
                byte[] buffer = new byte[1 << 16];
                try (InputStream in = new ModelParameterChunks(jdbc).open(version, size)) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        digest.update(buffer, 0, n);
                    }
                }
            } else {
                digest.update(jdbc.queryForObject(
                        "SELECT string_agg(bytes, ''::bytea ORDER BY seq) FROM model_version_chunk WHERE version = ?",
                        byte[].class,
                        version));
            }
        }
        System.out.println("sha256 " + HexFormat.of().formatHex(digest.digest()));
    }
}
