package io.mambarec.training;

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
 * @param progress the scalars (see {@link Progress})
 * @param order the training rows' order after the last epoch's (cumulative) shuffle
 * @param randomPosition the training draws' generator positions
 * @param modelState {@code model.state()} encoded
 * @param bestState the best epoch's state encoded
 * @param moments Adam's moments encoded ({@link ResumableAdam#moments})
 */
public record TrainingCheckpoint(
        Progress progress, int[] order, int[] randomPosition, byte[] modelState, byte[] bestState, byte[] moments) {

    /** Bumped whenever the encoding changes; a checkpoint of another format is not resumed. */
    public static final int FORMAT = 1;

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

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(
                modelState.length + bestState.length + moments.length + order.length * 4 + 4096);
        try {
            writeTo(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes {@link #encode()}'s bytes to {@code out} without holding them all (a file). */
    public void writeTo(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(MAGIC);
        data.writeInt(FORMAT);
        writeBytes(data, JSON.writeValueAsBytes(progress));
        writeInts(data, order);
        writeInts(data, randomPosition);
        writeBytes(data, modelState);
        writeBytes(data, bestState);
        writeBytes(data, moments);
        data.flush();
    }

    public static TrainingCheckpoint decode(byte[] encoded) {
        try {
            return readFrom(new ByteArrayInputStream(encoded));
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated training checkpoint", e);
        }
    }

    /**
     * Reads what {@link #writeTo} wrote.
     *
     * @throws EOFException when the stream ends too soon (a truncated checkpoint)
     */
    public static TrainingCheckpoint readFrom(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != MAGIC) {
            throw new IllegalArgumentException("not a training checkpoint");
        }
        int format = data.readInt();
        if (format != FORMAT) {
            throw new IllegalArgumentException("training checkpoint format " + format + " is not " + FORMAT);
        }
        Progress progress = JSON.readValue(readBytes(data), Progress.class);
        return new TrainingCheckpoint(
                progress, readInts(data), readInts(data), readBytes(data), readBytes(data), readBytes(data));
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        byte[] value = in.readNBytes(length);
        if (value.length != length) {
            throw new EOFException("a field of " + length + " bytes ends after " + value.length);
        }
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
