package io.mambarec.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Collectors;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Bytes stored as a sequence of chunks of at most {@link #CHUNK_BYTES} in a table keyed by some key
 * columns and {@code seq} (0, 1, ...), with the bytes in column {@code bytes}: written and read one
 * chunk at a time, so the Java heap a value needs here is one chunk whatever its size. A single
 * bytea of a large value is what the driver cannot handle in a bounded heap (it holds several
 * copies of it). Used for model versions' parameters and training checkpoints.
 */
final class ChunkTable {

    /** Bytes per chunk (4 MiB): a round trip per chunk, a chunk's bytes on the heap at a time. */
    static final int CHUNK_BYTES = 4 << 20;

    private static final byte[] NONE = new byte[0];

    private final JdbcTemplate jdbc;
    private final int chunkBytes;
    private final String owner;
    private final String noun;
    private final String insert;
    private final String select;
    private final String count;

    /**
     * @param table the chunk table
     * @param owner what the key names, in messages ("model version")
     * @param noun a chunk, in messages ("parameter chunk")
     * @param keyColumns the columns that, with {@code seq}, are the table's primary key
     */
    ChunkTable(JdbcTemplate jdbc, String table, String owner, String noun, String... keyColumns) {
        this(jdbc, CHUNK_BYTES, table, owner, noun, keyColumns);
    }

    /** As above, with chunks of {@code chunkBytes} (tests: many chunks from a small value). */
    ChunkTable(JdbcTemplate jdbc, int chunkBytes, String table, String owner, String noun, String... keyColumns) {
        this.jdbc = jdbc;
        this.chunkBytes = chunkBytes;
        this.owner = owner;
        this.noun = noun;
        String key = String.join(", ", keyColumns);
        String where = Arrays.stream(keyColumns).map(c -> c + " = ?").collect(Collectors.joining(" AND "));
        this.insert = "INSERT INTO " + table + " (" + key + ", seq, bytes) VALUES (" + "?, ".repeat(keyColumns.length)
                + "?, ?)";
        this.select = "SELECT bytes FROM " + table + " WHERE " + where + " AND seq = ?";
        this.count = "SELECT count(*) FROM " + table + " WHERE " + where;
    }

    /**
     * Stores the {@code size} bytes {@code source} streams as the chunks of {@code key}, in the
     * caller's transaction. Each chunk streams from {@code source} into the driver's socket without a
     * copy on the heap. Returns their SHA-256 (hex), taken on the way.
     */
    String write(InputStream source, long size, Object... key) {
        DigestInputStream in = new DigestInputStream(source, sha256());
        long written = 0;
        for (int seq = 0; written < size; seq++) {
            int length = (int) Math.min(chunkBytes, size - written);
            insert(key, seq, new BoundedInputStream(in, length), length);
            written += length;
        }
        try {
            if (in.read() != -1) {
                throw new IllegalStateException(
                        owner + " " + describe(key) + ": the source is longer than the " + size + " bytes announced");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bytes of " + owner + " " + describe(key), e);
        }
        return HexFormat.of().formatHex(in.getMessageDigest().digest());
    }

    /**
     * A stream that stores what is written to it as the chunks of {@code key}, in the caller's
     * transaction, holding one chunk at a time; for bytes whose size is not known in advance. Its
     * size and SHA-256 are known once it is closed.
     */
    ChunkOutput output(Object... key) {
        return new ChunkOutput(key);
    }

    /**
     * A stream over the {@code size} bytes of {@code key}'s chunks in order, each fetched when the
     * previous one is used up; a missing or empty chunk, or one past {@code size}, is an {@link
     * IOException}.
     */
    InputStream open(long size, Object... key) {
        return new ChunkStream(key, size);
    }

    /** Chunks of {@code key} stored (tests, diagnostics). */
    int count(Object... key) {
        Integer n = jdbc.queryForObject(count, Integer.class, key);
        return n == null ? 0 : n;
    }

    private void insert(Object[] key, int seq, InputStream piece, int length) {
        jdbc.update(insert, ps -> {
            for (int k = 0; k < key.length; k++) {
                ps.setObject(k + 1, key[k]);
            }
            ps.setInt(key.length + 1, seq);
            ps.setBinaryStream(key.length + 2, piece, length);
        });
    }

    private byte[] fetch(Object[] key, int seq) {
        return jdbc.query(
                con -> {
                    var ps = con.prepareStatement(select);
                    // binary result format from the first execution: the chunk arrives as its bytes,
                    // not as hex text twice their size that the driver then decodes
                    ps.unwrap(PGStatement.class).setPrepareThreshold(-1);
                    for (int k = 0; k < key.length; k++) {
                        ps.setObject(k + 1, key[k]);
                    }
                    ps.setInt(key.length + 1, seq);
                    return ps;
                },
                rs -> rs.next() ? rs.getBytes(1) : null);
    }

    private static String describe(Object[] key) {
        return Arrays.stream(key).map(String::valueOf).collect(Collectors.joining("/"));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Written bytes stored a chunk at a time (see {@link #output}). */
    final class ChunkOutput extends OutputStream {

        private final Object[] key;
        private final MessageDigest digest = ChunkTable.sha256();
        private byte[] buffer = new byte[chunkBytes];
        private int pos;
        private int seq;
        private long size;
        private String sha256;

        ChunkOutput(Object[] key) {
            this.key = key;
        }

        @Override
        public void write(int b) {
            open();
            buffer[pos++] = (byte) b;
            if (pos == buffer.length) {
                store();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            open();
            while (len > 0) {
                int n = Math.min(len, buffer.length - pos);
                System.arraycopy(b, off, buffer, pos, n);
                pos += n;
                off += n;
                len -= n;
                if (pos == buffer.length) {
                    store();
                }
            }
        }

        private void open() {
            if (buffer == null) {
                throw new IllegalStateException(owner + " " + describe(key) + ": written after close");
            }
        }

        /** Stores the last chunk; the size and the SHA-256 are then known. */
        @Override
        public void close() {
            if (buffer != null) {
                store();
                buffer = null;
                sha256 = HexFormat.of().formatHex(digest.digest());
            }
        }

        private void store() {
            if (pos > 0) {
                digest.update(buffer, 0, pos);
                insert(key, seq++, new ByteArrayInputStream(buffer, 0, pos), pos);
                size += pos;
                pos = 0;
            }
        }

        /** Bytes stored (after {@link #close()}). */
        long size() {
            return size;
        }

        /** Their SHA-256, hex (after {@link #close()}). */
        String sha256() {
            if (sha256 == null) {
                throw new IllegalStateException("not closed yet");
            }
            return sha256;
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

    /** The chunks of one key in order, one on the heap at a time. */
    private final class ChunkStream extends InputStream {

        private final Object[] key;
        private final long size;
        private long consumed;
        private int nextSeq;
        private byte[] chunk = NONE;
        private int pos;

        ChunkStream(Object[] key, long size) {
            this.key = key;
            this.size = size;
        }

        /** True when a byte is available in {@code chunk}; false at the end of the bytes. */
        private boolean ensure() throws IOException {
            if (pos < chunk.length) {
                return true;
            }
            if (consumed == size) {
                return false;
            }
            chunk = NONE; // the used chunk is garbage before the next one arrives
            pos = 0;
            byte[] next = fetch(key, nextSeq);
            if (next == null || next.length == 0) {
                throw new IOException(owner + " " + describe(key) + " has no " + noun + " " + nextSeq + " (read "
                        + consumed + " of " + size + " bytes)");
            }
            if (consumed + next.length > size) {
                throw new IOException(owner + " " + describe(key) + " has more bytes than its " + size);
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
