package io.mambarec.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A small dataset with structure a recommender can learn: users and items fall into clusters and
 * every user interacts only with items of its own cluster (split 0/1/2 per user).
 */
public final class SyntheticData {

    public static final int USERS = 240;
    public static final int ITEMS = 120;
    public static final int CLUSTERS = 6;
    private static final int TRAIN_PER_USER = 8;
    private static final int VALID_PER_USER = 2;
    private static final int TEST_PER_USER = 2;

    private SyntheticData() {}

    /** Rows of (user, item, label). */
    public static List<int[]> rows(long seed) {
        Random random = new Random(seed);
        int itemsPerCluster = ITEMS / CLUSTERS;
        List<int[]> rows = new ArrayList<>();
        for (int u = 0; u < USERS; u++) {
            int cluster = u % CLUSTERS;
            List<Integer> items = new ArrayList<>(IntStream.range(0, itemsPerCluster)
                    .map(k -> cluster * itemsPerCluster + k)
                    .boxed()
                    .toList());
            java.util.Collections.shuffle(items, random);
            for (int k = 0; k < TRAIN_PER_USER + VALID_PER_USER + TEST_PER_USER; k++) {
                int label = k < TRAIN_PER_USER ? 0 : k < TRAIN_PER_USER + VALID_PER_USER ? 1 : 2;
                rows.add(new int[] {u, items.get(k), label});
            }
        }
        return rows;
    }

    public static Dataset dataset(long seed) {
        List<int[]> rows = rows(seed);
        List<List<int[]>> splits = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        rows.forEach(r -> splits.get(r[2]).add(r));
        Interactions[] interactions = new Interactions[3];
        for (int s = 0; s < 3; s++) {
            List<int[]> split = splits.get(s);
            interactions[s] = new Interactions(
                    split.stream().mapToInt(r -> r[0]).toArray(),
                    split.stream().mapToInt(r -> r[1]).toArray());
        }
        return new Dataset(
                "synthetic", ids(USERS), ids(ITEMS), interactions[0], interactions[1], interactions[2], Map.of());
    }

    /** Writes the dataset as an MMRec folder {@code parent/synthetic} and returns it. */
    public static Path writeFolder(Path parent, long seed) {
        Path dir = parent.resolve("synthetic");
        StringBuilder text = new StringBuilder("userID\titemID\trating\ttimestamp\tx_label\n");
        for (int[] r : rows(seed)) {
            text.append(r[0])
                    .append('\t')
                    .append(r[1])
                    .append("\t1\t0\t")
                    .append(r[2])
                    .append('\n');
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("synthetic.inter"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /**
     * As {@link #writeFolder}, with two modalities ({@code image_feat.npy}, {@code text_feat.npy},
     * {@code dim} columns each): every item's vector is its cluster's centre plus noise, the image
     * modality the clearer one.
     */
    public static Path writeFolderWithFeatures(Path parent, long seed, int dim) {
        Path dir = writeFolder(parent, seed);
        Random random = new Random(seed + 1);
        int itemsPerCluster = ITEMS / CLUSTERS;
        Map<String, Double> noise = Map.of("image", 0.3, "text", 0.8);
        for (String modality : List.of("image", "text")) {
            float[][] centres = new float[CLUSTERS][dim];
            for (float[] centre : centres) {
                for (int k = 0; k < dim; k++) {
                    centre[k] = (float) random.nextGaussian();
                }
            }
            float[] values = new float[ITEMS * dim];
            for (int i = 0; i < ITEMS; i++) {
                for (int k = 0; k < dim; k++) {
                    values[i * dim + k] =
                            centres[i / itemsPerCluster][k] + (float) (noise.get(modality) * random.nextGaussian());
                }
            }
            writeFloat32Npy(dir.resolve(modality + "_feat.npy"), ITEMS, dim, values);
        }
        return dir;
    }

    /** A .npy file (format 1.0) with the given dtype descriptor and raw little-endian data. */
    public static void writeNpy(Path file, String descr, int rows, int cols, byte[] data) {
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93)
                .put("NUMPY".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 1)
                .put((byte) 0);
        buf.putShort((short) header.length())
                .put(header.getBytes(StandardCharsets.US_ASCII))
                .put(data);
        try {
            Files.write(file, buf.array());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A float32 .npy file of {@code rows} x {@code cols} values. */
    public static void writeFloat32Npy(Path file, int rows, int cols, float... values) {
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            data.putFloat(v);
        }
        writeNpy(file, "<f4", rows, cols, data.array());
    }

    private static List<String> ids(int n) {
        return IntStream.range(0, n).mapToObj(Integer::toString).toList();
    }
}
