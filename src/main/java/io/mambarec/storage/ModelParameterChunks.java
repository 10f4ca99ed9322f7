package io.mambarec.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * A model version's parameters as a sequence of chunks ({@code model_version_chunk}, at most
 * {@link #CHUNK_BYTES} each, deleted with their version): written and read one chunk at a time, so
 * the Java heap a version needs here is one chunk whatever the model's size. A single bytea of a
 * large model is what the driver cannot handle in a bounded heap (it holds several copies of it).
 */
@Repository
public class ModelParameterChunks {

    /** Bytes per chunk (4 MiB): a round trip per chunk, a chunk's bytes on the heap at a time. */
    public static final int CHUNK_BYTES = 4 << 20;

    private static final byte[] NONE = new byte[0];

    private final JdbcTemplate jdbc;

    public ModelParameterChunks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores the {@code size} bytes {@code source} streams as the chunks of {@code version}, in the
     * caller's transaction (with the version's row). Each chunk streams from {@code source} into the
     * driver's socket without a copy on the heap. Returns their SHA-256 (hex), taken on the way.
     */
    public String write(long version, InputStream source, long size) {
        DigestInputStream in = new DigestInputStream(source, sha256());
        long written = 0;
        for (int seq = 0; written < size; seq++) {
            int length = (int) Math.min(CHUNK_BYTES, size - written);
            int chunk = seq;
            InputStream piece = new BoundedInputStream(in, length);
            jdbc.update("INSERT INTO model_version_chunk (version, seq, bytes) VALUES (?, ?, ?)", ps -> {
                ps.setLong(1, version);
                ps.setInt(2, chunk);
                ps.setBinaryStream(3, piece, length);
            });
            written += length;
        }
        try {
            if (in.read() != -1) {
                throw new IllegalStateException("model parameters are longer than the " + size + " bytes announced");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model parameters being stored", e);
        }
        return HexFormat.of().formatHex(in.getMessageDigest().digest());
    }

    /**
     * A stream over the {@code size} bytes of {@code version}'s chunks in order, each fetched when
     * the previous one is used up; a missing or empty chunk, or one past {@code size}, is an
     * {@link IOException}.
     */
    public InputStream open(long version, long size) {
        return new ChunkStream(version, size);
    }

    /** Chunks of {@code version} stored (tests, diagnostics). */
    public int count(long version) {
        Integer n = jdbc.queryForObject(
                "SELECT count(*) FROM model_version_chunk WHERE version = ?", Integer.class, version);
        return n == null ? 0 : n;
    }

    private byte[] fetch(long version, int seq) {
        return jdbc.query(
                con -> {
                    var ps =
                            con.prepareStatement("SELECT bytes FROM model_version_chunk WHERE version = ? AND seq = ?");
                    // binary result format from the first execution: the chunk arrives as its bytes,
                    // not as hex text twice their size that the driver then decodes
                    ps.unwrap(PGStatement.class).setPrepareThreshold(-1);
                    ps.setLong(1, version);
                    ps.setInt(2, seq);
                    return ps;
                },
                rs -> rs.next() ? rs.getBytes(1) : null);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** At most {@code limit} bytes of a stream it does not close. */
    private static final class BoundedInputStream extends InputStream {

        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (left == 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /** The chunks of one version in order, one on the heap at a time. */
    private final class ChunkStream extends InputStream {

        private final long version;
        private final long size;
        private long consumed;
        private int nextSeq;
        private byte[] chunk = NONE;
        private int pos;

        ChunkStream(long version, long size) {
            this.version = version;
            this.size = size;
        }

        /** True when a byte is available in {@code chunk}; false at the end of the parameters. */
        private boolean ensure() throws IOException {
            if (pos < chunk.length) {
                return true;
            }
            if (consumed == size) {
                return false;
            }
            chunk = NONE; // the used chunk is garbage before the next one arrives
            pos = 0;
            byte[] next = fetch(version, nextSeq);
            if (next == null || next.length == 0) {
                throw new IOException("model version " + version + " has no parameter chunk " + nextSeq + " (read "
                        + consumed + " of " + size + " bytes)");
            }
            if (consumed + next.length > size) {
                throw new IOException("model version " + version + " has more parameter bytes than its " + size);
            }
            nextSeq++;
            consumed += next.length;
            chunk = next;
            pos = 0;
            return true;
        }

        @Override
        public int read() throws IOException {
            return ensure() ? chunk[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!ensure()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = 0;
            while (skipped < n && ensure()) {
                int step = (int) Math.min(n - skipped, chunk.length - pos);
                pos += step;
                skipped += step;
            }
            return skipped;
        }
    }
}
