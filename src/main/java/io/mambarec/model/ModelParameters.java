package io.mambarec.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model's state in DJL's NDList encoding, read as a stream: bytes in memory (a model just
 * trained), a {@code model.params} file, or a registry version's stored chunks. Reading, hashing
 * and storing go through {@link #open()}, so no path needs the whole encoding on the heap at once.
 */
public interface ModelParameters {

    /** A new stream over the encoded parameters, from their start; the caller closes it. */
    InputStream open() throws IOException;

    /** Length of the encoding in bytes. */
    long size();

    /** Parameters held in memory. */
    static ModelParameters of(byte[] bytes) {
        return new InMemory(bytes);
    }

    /** Parameters read from a file whenever they are opened (the file must stay as it is). */
    static ModelParameters of(Path file) {
        try {
            long size = Files.size(file);
            return streamed(size, () -> Files.newInputStream(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Parameters of a known size that {@code source} streams on each opening. */
    static ModelParameters streamed(long size, Source source) {
        return new ModelParameters() {
            @Override
            public InputStream open() throws IOException {
                return source.open();
            }

            @Override
            public long size() {
                return size;
            }
        };
    }

    /** Opens a stream over the parameters. */
    @FunctionalInterface
    interface Source {
        InputStream open() throws IOException;
    }

    /** The whole encoding as one array (small models and tests; a large model should stay a stream). */
    default byte[] readAllBytes() {
        try (InputStream in = open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model parameters", e);
        }
    }

    /** Bytes in memory: {@link #readAllBytes()} hands out the array itself. */
    record InMemory(byte[] bytes) implements ModelParameters {

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public byte[] readAllBytes() {
            return bytes;
        }
    }
}
