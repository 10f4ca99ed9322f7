package io.mambarec.tuning;

import ai.djl.ndarray.NDManager;
import io.mambarec.training.TrainingCheckpoint;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A search's checkpoints in files under one folder (one per point, replaced atomically after every
 * epoch), its journal not kept: the CLI's search, which a new run starts afresh.
 */
final class FileSearchStore implements SearchStore {

    private final Path dir;
    private final List<FilePoint> points = new ArrayList<>();

    FileSearchStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    @Override
    public Optional<SearchJournal> journal() {
        return Optional.empty(); // a new process searches afresh
    }

    @Override
    public void save(SearchJournal journal) {
        // the process's own search keeps its decisions in memory
    }

    @Override
    public Point point(int number) {
        FilePoint point = new FilePoint(dir.resolve("point-" + number + ".checkpoint"));
        points.add(point);
        return point;
    }

    @Override
    public void release() {
        points.forEach(FilePoint::delete);
    }

    /** Reads (part of) a checkpoint file. */
    @FunctionalInterface
    private interface CheckpointReader<T> {
        T read(InputStream in) throws IOException;
    }

    /** One point's latest checkpoint in one file. */
    private static final class FilePoint implements Point {

        private final Path file;

        FilePoint(Path file) {
            this.file = file;
        }

        @Override
        public Optional<TrainingCheckpoint> latest(NDManager manager) {
            return read(in -> TrainingCheckpoint.readFrom(in, manager));
        }

        @Override
        public Optional<TrainingCheckpoint.Progress> progress() {
            return read(TrainingCheckpoint::readProgress);
        }

        private <T> Optional<T> read(CheckpointReader<T> reader) {
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                return Optional.of(reader.read(in));
            } catch (EOFException e) {
                throw new IllegalArgumentException("truncated search checkpoint " + file, e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the search checkpoint " + file, e);
            }
        }

        @Override
        public void save(TrainingCheckpoint checkpoint) {
            Path partial = file.resolveSibling(file.getFileName() + ".partial");
            // streamed: the checkpoint (tens of MB on TikTok, every epoch) is never copied whole on the heap
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial))) {
                checkpoint.writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the search checkpoint " + file, e);
            }
            try {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the search checkpoint " + file, e);
            }
        }

        @Override
        public void delete() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the search checkpoint " + file, e);
            }
        }
    }
}
