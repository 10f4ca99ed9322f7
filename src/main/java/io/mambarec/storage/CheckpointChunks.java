package io.mambarec.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.interceptor.TransactionAspectSupport;

/**
 * A job checkpoint's state as chunks ({@link ChunkTable}), one chunk on the heap at a time: written
 * from the checkpoint's own stream, read back only when its SHA-256 matches. The rows that own the
 * chunks (and fence the attempt) are the repositories' ({@link CheckpointRepository},
 * {@link SearchCheckpointRepository}).
 */
public final class CheckpointChunks {

    /** Writes a checkpoint's state ({@code TrainingCheckpoint::writeTo}). */
    @FunctionalInterface
    public interface StateWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Reads a checkpoint's state back ({@code TrainingCheckpoint::readFrom}). */
    @FunctionalInterface
    public interface StateReader<T> {
        T readFrom(InputStream in) throws IOException;
    }

    /** A row's digest until its chunks are written (never committed: see {@link #save}). */
    static final String PENDING = "0".repeat(64);

    private final JdbcTemplate jdbc;
    private final ChunkTable chunks;
    private final String delete;

    CheckpointChunks(JdbcTemplate jdbc, int chunkBytes, String table, String owner, String... keyColumns) {
        this.jdbc = jdbc;
        this.chunks = new ChunkTable(jdbc, chunkBytes, table, owner, "chunk", keyColumns);
        this.delete = "DELETE FROM " + table + " WHERE " + String.join(" = ? AND ", keyColumns) + " = ?";
    }

    /**
     * Saves a checkpoint in the caller's transaction: {@code claimRow} (the owning row upserted, fenced
     * by the attempt: one row or none; its size 0 and digest {@link #PENDING}), then the chunks of
     * {@code key} replaced by what {@code state} writes, then {@code finishRow} (the row's size and
     * digest, the first two parameters, before {@code finishArgs}; fenced again). Until the
     * transaction commits every reader sees the previous checkpoint, and a failure or a crash half
     * way rolls the new one back, as does an attempt that lost the job while writing (false).
     */
    boolean save(
            String claimRow,
            Object[] claimArgs,
            String finishRow,
            Object[] finishArgs,
            StateWriter state,
            Object... key) {
        if (jdbc.update(claimRow, claimArgs) != 1) {
            return false;
        }
        jdbc.update(delete, key);
        ChunkTable.ChunkOutput out = chunks.output(key);
        try {
            state.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint", e);
        }
        out.close();
        Object[] args = new Object[finishArgs.length + 2];
        args[0] = out.size();
        args[1] = out.sha256();
        System.arraycopy(finishArgs, 0, args, 2, finishArgs.length);
        if (jdbc.update(finishRow, args) == 1) {
            return true;
        }
        TransactionAspectSupport.currentTransactionStatus().setRollbackOnly();
        return false;
    }

    /**
     * The state {@code reader} decodes from the {@code size} bytes of {@code key}'s chunks, when their
     * SHA-256 is {@code sha256}; empty when it is not or a chunk is missing. Two passes over the
     * chunks: the digest is checked before anything is decoded, so a damaged length field never makes
     * the decoder allocate for it. The caller reads in one snapshot (REPEATABLE READ), so both passes
     * see the same chunks.
     */
    <T> Optional<T> read(long size, String sha256, StateReader<T> reader, Object... key) {
        MessageDigest digest = ChunkTable.sha256();
        try (InputStream in = new DigestInputStream(chunks.open(size, key), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) { // a chunk missing or past the size: damaged, as a wrong digest
            return Optional.empty();
        }
        if (!HexFormat.of().formatHex(digest.digest()).equals(sha256)) {
            return Optional.empty();
        }
        try (InputStream in = chunks.open(size, key)) {
            return Optional.of(reader.readFrom(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode the checkpoint", e);
        }
    }

    /** Chunks of {@code key} stored (tests, diagnostics). */
    int count(Object... key) {
        return chunks.count(key);
    }
}
