package io.mambarec.storage;

import java.io.IOException;
import java.io.InputStream;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * A model version's parameters as a sequence of chunks ({@code model_version_chunk}, at most
 * {@link #CHUNK_BYTES} each, deleted with their version): written and read one chunk at a time
 * ({@link ChunkTable}), so the Java heap a version needs here is one chunk whatever the model's size.
 */
@Repository
public class ModelParameterChunks {

    /** Bytes per chunk (4 MiB): a round trip per chunk, a chunk's bytes on the heap at a time. */
    public static final int CHUNK_BYTES = ChunkTable.CHUNK_BYTES;

    private final ChunkTable chunks;

    public ModelParameterChunks(JdbcTemplate jdbc) {
        this.chunks = new ChunkTable(jdbc, "model_version_chunk", "model version", "parameter chunk", "version");
    }

    /**
     * Stores the {@code size} bytes {@code source} streams as the chunks of {@code version}, in the
     * caller's transaction (with the version's row). Each chunk streams from {@code source} into the
     * driver's socket without a copy on the heap. Returns their SHA-256 (hex), taken on the way.
     */
    public String write(long version, InputStream source, long size) {
        return chunks.write(source, size, version);
    }

    /**
     * A stream over the {@code size} bytes of {@code version}'s chunks in order, each fetched when
     * the previous one is used up; a missing or empty chunk, or one past {@code size}, is an
     * {@link IOException}.
     */
    public InputStream open(long version, long size) {
        return chunks.open(size, version);
    }

    /** Chunks of {@code version} stored (tests, diagnostics). */
    public int count(long version) {
        return chunks.count(version);
    }
}
