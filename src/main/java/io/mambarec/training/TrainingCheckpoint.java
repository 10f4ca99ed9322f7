package io.mambarec.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Everything a training run needs to continue after {@code epochsDone} epochs exactly as if it had
 * never stopped: the model's state, Adam's moments and step counts, the random generators' positions,
 * the epoch's row order, early stopping's best-so-far (with the best epoch's state and metrics) and the
 * epoch history. Arrays are in DJL's NDList encoding; the rest is JSON.
 *
 * <p>The states are the native arrays themselves, not their encoding: {@link #writeTo} streams each
 * array from native memory to the output and {@link #readFrom} decodes each into native memory as it
 * arrives, so a checkpoint (about four times the model's parameters: 0.5 GB for the 1M-interaction
 * shop's MambaRec) never sits whole on the Java heap, only the array in transit does.
 *
 * @param progress the scalars (see {@link Progress})
 * @param order the training rows' order after the last epoch's (cumulative) shuffle
 * @param randomPosition the training draws' generator positions
 * @param modelState {@code model.state()}
 * @param bestState the best epoch's state (empty before the first evaluation)
 * @param moments Adam's moments ({@link ResumableAdam#moments})
 */
public record TrainingCheckpoint(
        Progress progress, int[] order, int[] randomPosition, NDList modelState, NDList bestState, NDList moments) {

    /**
     * Bumped whenever the encoding changes; a checkpoint of another format is not resumed. Format 2
     * writes each state as its NDList encoding alone (self-delimiting: a count, then each array with
     * its length), format 1 as that encoding's length first, which needs the whole encoding before
     * the first byte is written; format 1 is still read.
     */
    public static final int FORMAT = 2;

    private static final int LENGTH_PREFIXED = 1;
    private static final int MAGIC = 0x4D52434B; // "MRCK"
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * @param epochsDone epochs completed
     * @param seed the run's seed (a checkpoint of another seed is not resumed)
     * @param adamSteps Adam's update count per parameter
     * @param best early stopping's best validation score (rounded as compared)
     * @param bestEpoch its 0-based epoch
     * @param epochsWithoutImprovement early stopping's counter
     * @param bestValid validation metrics of the best epoch
     * @param bestTest test metrics of the best epoch
     * @param trainSecondsTotal training seconds so far
     * @param history every completed epoch's report
     */
    public record Progress(
            int epochsDone,
            long seed,
            Map<String, Integer> adamSteps,
            double best,
            int bestEpoch,
            int epochsWithoutImprovement,
            Map<String, Double> bestValid,
            Map<String, Double> bestTest,
            double trainSecondsTotal,
            List<EpochReport> history) {}

    public int epochsDone() {
        return progress.epochsDone();
    }

    /** {@link #writeTo}'s bytes as one array (small checkpoints and tests). */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeTo(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes the checkpoint to {@code out}, one array at a time from native memory (a file, chunks). */
    public void writeTo(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(MAGIC);
        data.writeInt(FORMAT);
        writeBytes(data, JSON.writeValueAsBytes(progress));
        writeInts(data, order);
        writeInts(data, randomPosition);
        modelState.encode(data);
        bestState.encode(data);
        moments.encode(data);
        data.flush();
    }

    /** {@link #readFrom} of {@link #encode()}'s bytes, the arrays made by {@code manager}. */
    public static TrainingCheckpoint decode(byte[] encoded, NDManager manager) {
        try {
            return readFrom(new ByteArrayInputStream(encoded), manager);
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated training checkpoint", e);
        }
    }

    /**
     * Reads what {@link #writeTo} wrote (or format 1), each array decoded into native memory made by
     * {@code manager} (the caller closes them with it).
     *
     * @throws EOFException when the stream ends too soon (a truncated checkpoint)
     */
    public static TrainingCheckpoint readFrom(InputStream in, NDManager manager) throws IOException {
        DataInputStream data = new DataInputStream(in);
        int format = readHeader(data);
        Progress progress = JSON.readValue(readBytes(data), Progress.class);
        int[] order = readInts(data);
        int[] position = readInts(data);
        NDList model = readList(data, format, manager);
        NDList best = readList(data, format, manager);
        return new TrainingCheckpoint(progress, order, position, model, best, readList(data, format, manager));
    }

    /** The progress of what {@link #writeTo} wrote, read without the arrays after it. */
    public static Progress readProgress(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        readHeader(data);
        return JSON.readValue(readBytes(data), Progress.class);
    }

    /** The format, after checking the magic number; another format is refused. */
    private static int readHeader(DataInputStream data) throws IOException {
        if (data.readInt() != MAGIC) {
            throw new IllegalArgumentException("not a training checkpoint");
        }
        int format = data.readInt();
        if (format != FORMAT && format != LENGTH_PREFIXED) {
            throw new IllegalArgumentException("training checkpoint format " + format + " is not " + FORMAT);
        }
        return format;
    }

    /** An NDList's arrays decoded one by one as they arrive (format 1: after their encoding's length). */
    private static NDList readList(DataInputStream data, int format, NDManager manager) throws IOException {
        if (format == LENGTH_PREFIXED && data.readInt() == 0) {
            return new NDList(); // format 1 wrote no best state as an empty encoding
        }
        int size = data.readInt();
        if (size < 0) {
            throw new IllegalArgumentException("an NDList of " + size + " arrays: not a training checkpoint");
        }
        NDList list = new NDList(size);
        for (int k = 0; k < size; k++) {
            list.add(manager.decode(data));
        }
        return list;
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IllegalArgumentException("a field of " + length + " bytes: not a training checkpoint");
        }
        byte[] value = new byte[length];
        in.readFully(value);
        return value;
    }

    private static void writeInts(DataOutputStream out, int[] values) throws IOException {
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static int[] readInts(DataInputStream in) throws IOException {
        int[] values = new int[in.readInt()];
        for (int k = 0; k < values.length; k++) {
            values[k] = in.readInt();
        }
        return values;
    }
}
