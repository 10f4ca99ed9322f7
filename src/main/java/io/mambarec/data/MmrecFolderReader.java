package io.mambarec.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Reads a dataset folder in the MMRec toolbox's format:
 * <pre>
 * NAME/NAME.inter          tab-separated with a header: userID, itemID, x_label (rating, timestamp optional)
 * NAME/MODALITY_feat.npy   one row per item, float16/32/64
 * </pre>
 * Ids are 0-based indices; as in MMRec ({@code RecDataset}), there are max(userID) + 1 users and
 * max(itemID) + 1 items over the whole file, and validation/test users without a training
 * interaction are dropped. Modalities come in slot order: {@code image}, then {@code text}, then
 * any others alphabetically. Every problem is an {@link InvalidDatasetException} naming it.
 */
public final class MmrecFolderReader {

    public static final String USER = "userID";
    public static final String ITEM = "itemID";
    public static final String LABEL = "x_label";
    private static final String FEATURE_SUFFIX = "_feat.npy";
    /** Ids index arrays directly: a larger id is a corrupt file, not a real catalogue. */
    static final int MAX_ID = 50_000_000;

    private MmrecFolderReader() {}

    public static Dataset read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidDatasetException("dataset folder " + dir + " does not exist or is not a folder");
        }
        Path normalized = dir.toAbsolutePath().normalize();
        String name = normalized.getFileName().toString();
        Path interFile = dir.resolve(name + ".inter");
        if (!Files.isRegularFile(interFile)) {
            throw new InvalidDatasetException("dataset folder " + dir + " has no interaction file " + name + ".inter");
        }
        RawInteractions raw = readInteractions(interFile);
        int numUsers = raw.maxUser + 1;
        int numItems = raw.maxItem + 1;
        Map<String, FeatureMatrix> features = readFeatures(dir, numItems);

        Interactions train = raw.split(Split.TRAIN);
        if (train.size() == 0) {
            throw new InvalidDatasetException(interFile + " has no training interaction (x_label 0)");
        }
        boolean[] inTraining = new boolean[numUsers];
        for (int u : train.users()) {
            inTraining[u] = true;
        }
        return new Dataset(
                name,
                indexIds(numUsers),
                indexIds(numItems),
                train,
                dropColdUsers(raw.split(Split.VALID), inTraining),
                dropColdUsers(raw.split(Split.TEST), inTraining),
                features);
    }

    private static List<String> indexIds(int n) {
        return IntStream.range(0, n).mapToObj(Integer::toString).toList();
    }

    /** MMRec's filter_out_cod_start_users: evaluation users never seen in training are dropped. */
    private static Interactions dropColdUsers(Interactions split, boolean[] inTraining) {
        int[] keep = IntStream.range(0, split.size())
                .filter(k -> inTraining[split.users()[k]])
                .toArray();
        return new Interactions(
                Arrays.stream(keep).map(k -> split.users()[k]).toArray(),
                Arrays.stream(keep).map(k -> split.items()[k]).toArray());
    }

    private static final class RawInteractions {
        final IntList[] users = {new IntList(), new IntList(), new IntList()};
        final IntList[] items = {new IntList(), new IntList(), new IntList()};
        int maxUser = -1;
        int maxItem = -1;

        Interactions split(Split split) {
            return new Interactions(users[split.ordinal()].toArray(), items[split.ordinal()].toArray());
        }
    }

    private static RawInteractions readInteractions(Path file) {
        RawInteractions raw = new RawInteractions();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null) {
                throw new InvalidDatasetException(file + " is empty (a header line is expected)");
            }
            List<String> columns =
                    Arrays.stream(header.split("\t", -1)).map(String::trim).toList();
            int userCol = column(file, columns, USER);
            int itemCol = column(file, columns, ITEM);
            int labelCol = column(file, columns, LABEL);
            String line;
            int lineNo = 1;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = line.split("\t", -1);
                if (fields.length != columns.size()) {
                    throw new InvalidDatasetException(file + " line " + lineNo + ": " + fields.length
                            + " fields where the header has " + columns.size());
                }
                int user = id(file, lineNo, USER, fields[userCol]);
                int item = id(file, lineNo, ITEM, fields[itemCol]);
                int label = label(file, lineNo, fields[labelCol]);
                raw.users[label].add(user);
                raw.items[label].add(item);
                raw.maxUser = Math.max(raw.maxUser, user);
                raw.maxItem = Math.max(raw.maxItem, item);
            }
        } catch (IOException e) {
            throw new InvalidDatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return raw;
    }

    private static int column(Path file, List<String> columns, String name) {
        int index = columns.indexOf(name);
        if (index < 0 || columns.lastIndexOf(name) != index) {
            throw new InvalidDatasetException(file + ": bad header " + columns + ": exactly one column '" + name
                    + "' is required (tab-separated; required userID, itemID, x_label)");
        }
        return index;
    }

    private static int id(Path file, int lineNo, String column, String text) {
        long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new InvalidDatasetException(
                    file + " line " + lineNo + ": " + column + " '" + text + "' is not an integer index");
        }
        if (value < 0 || value >= MAX_ID) {
            throw new InvalidDatasetException(file + " line " + lineNo + ": " + column + " " + value
                    + " is out of range (ids are 0-based indices below " + MAX_ID + ")");
        }
        return (int) value;
    }

    private static int label(Path file, int lineNo, String text) {
        String t = text.trim();
        return switch (t) {
            case "0" -> 0;
            case "1" -> 1;
            case "2" -> 2;
            default ->
                throw new InvalidDatasetException(file + " line " + lineNo + ": x_label '" + text
                        + "' is not 0 (train), 1 (validation) or 2 (test)");
        };
    }

    private static Map<String, FeatureMatrix> readFeatures(Path dir, int numItems) {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(FEATURE_SUFFIX) && Files.isRegularFile(p))
                    .sorted(Comparator.comparing((Path p) -> slotRank(modality(p)))
                            .thenComparing(p -> modality(p)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        Map<String, FeatureMatrix> features = new LinkedHashMap<>();
        for (Path file : files) {
            features.put(modality(file), readNpy(file, numItems));
        }
        return features;
    }

    private static String modality(Path file) {
        String n = file.getFileName().toString();
        return n.substring(0, n.length() - FEATURE_SUFFIX.length());
    }

    /** MambaRec's slots: the visual modality first, the textual second, others after. */
    private static int slotRank(String modality) {
        return switch (modality) {
            case "image" -> 0;
            case "text" -> 1;
            default -> 2;
        };
    }

    private static FeatureMatrix readNpy(Path file, int numItems) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidDatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
        float[] values;
        long[] shape;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray array = NDList.decode(manager, bytes).singletonOrThrow();
            shape = array.getShape().getShape();
            DataType type = array.getDataType();
            if (type != DataType.FLOAT16 && type != DataType.FLOAT32 && type != DataType.FLOAT64) {
                throw new InvalidDatasetException(file + " holds " + type + " values; float16/32/64 expected");
            }
            if (shape.length != 2) {
                throw new InvalidDatasetException(
                        file + " has shape " + array.getShape() + "; a 2-d matrix (one row per item) is expected");
            }
            values = array.toType(DataType.FLOAT32, false).toFloatArray();
        } catch (InvalidDatasetException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidDatasetException(file + " is not a readable .npy matrix: " + e.getMessage(), e);
        }
        int rows = Math.toIntExact(shape[0]);
        int cols = Math.toIntExact(shape[1]);
        if (rows != numItems) {
            throw new InvalidDatasetException(file + " has " + rows + " feature rows but the interactions have "
                    + numItems + " items (max itemID + 1)");
        }
        for (int k = 0; k < values.length; k++) {
            if (!Float.isFinite(values[k])) {
                throw new InvalidDatasetException(file + ": item " + (k / cols) + " has a non-finite feature ("
                        + values[k] + ") in column " + (k % cols));
            }
        }
        return new FeatureMatrix(rows, cols, values);
    }

    /** A growable int array (the file is read once; boxing 10^5-10^7 ids would be wasteful). */
    private static final class IntList {
        private int[] data = new int[1024];
        private int size;

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
