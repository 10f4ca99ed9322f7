package io.mambarec.training;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(modelState.length * 4 + order.length * 4 + 4096);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                writeBytes(out, JSON.writeValueAsBytes(progress));
                writeInts(out, order);
                writeInts(out, randomPosition);
                writeBytes(out, modelState);
                writeBytes(out, bestState);
                writeBytes(out, moments);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TrainingCheckpoint decode(byte[] encoded) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a training checkpoint");
            }
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalArgumentException("training checkpoint format " + format + " is not " + FORMAT);
            }
            Progress progress = JSON.readValue(readBytes(in), Progress.class);
            return new TrainingCheckpoint(
                    progress, readInts(in), readInts(in), readBytes(in), readBytes(in), readBytes(in));
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated training checkpoint", e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        return in.readNBytes(in.readInt());
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
