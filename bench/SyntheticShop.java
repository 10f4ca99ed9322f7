import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A synthetic shop in the MMRec folder format, with planted tastes so that recommendation quality
 * is measurable. Run it as a single-file program (Java 17, nothing to build):
 *
 * <pre>
 * java bench/SyntheticShop.java --out /tmp/shops --name shop1m --users 60000 --items 20000 \
 *      --interactions 1000000 --modality image:512 --modality text:384 [--tastes 200] [--seed 1]
 * </pre>
 *
 * <p>The planted structure: every item belongs to one of {@code tastes} clusters and has a
 * popularity weight (Zipf, exponent 0.8, over a random order of the items). Each modality's
 * feature vector of an item is its cluster's centroid (a random standard normal vector of that
 * modality) plus Gaussian noise: the image modality is the clearer signal, the text one the noisier, and a
 * fifth of the items get features of a random other cluster (mislabelled products), so neither
 * modality alone tells the cluster. Each user likes one to three clusters; 85 % of their
 * interactions are popularity-weighted draws from their clusters, 15 % from the whole catalogue.
 * Interactions per user are spread around interactions / users (at least 3), without repeats.
 * Split per user as MMRec's datasets: 80 % train (label 0), 10 % validation (1), 10 % test (2),
 * at least one of each for users with 3 or more interactions.
 *
 * <p>Writes {@code OUT/NAME/NAME.inter} (userID, itemID, rating, timestamp, x_label) and
 * {@code OUT/NAME/MODALITY_feat.npy} (float32, items x dim). The same arguments give the same files.
 */
public final class SyntheticShop {

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = new LinkedHashMap<>();
        Map<String, Integer> modalities = new LinkedHashMap<>();
        for (int a = 0; a < args.length; a += 2) {
            if (a + 1 >= args.length || !args[a].startsWith("--")) {
                usage("bad argument " + args[a]);
            }
            if (args[a].equals("--modality")) {
                String[] nameDim = args[a + 1].split(":");
                if (nameDim.length != 2) {
                    usage("--modality takes NAME:DIM, not " + args[a + 1]);
                }
                modalities.put(nameDim[0], positive("--modality " + nameDim[0], nameDim[1]));
            } else {
                opts.put(args[a].substring(2), args[a + 1]);
            }
        }
        if (!opts.containsKey("out") || !opts.containsKey("name")) {
            usage("--out and --name are required");
        }
        if (modalities.isEmpty()) {
            modalities.put("image", 512);
            modalities.put("text", 384);
        }
        int users = positive("--users", opts.getOrDefault("users", "60000"));
        int items = positive("--items", opts.getOrDefault("items", "20000"));
        long interactions = positive("--interactions", opts.getOrDefault("interactions", "1000000"));
        int tastes = positive("--tastes", opts.getOrDefault("tastes", Integer.toString(Math.max(2, items / 100))));
        long seed = Long.parseLong(opts.getOrDefault("seed", "1"));
        if (interactions < 3L * users || interactions > (long) users * items / 2) {
            usage("--interactions must lie between 3 x users and users x items / 2");
        }
        Path dir = Path.of(opts.get("out")).resolve(opts.get("name"));
        Files.createDirectories(dir);
        new SyntheticShop(users, items, interactions, tastes, seed).write(dir, opts.get("name"), modalities);
    }

    private static int positive(String what, String text) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage(what + " takes a positive integer, not " + text);
        return 0;
    }

    private static void usage(String problem) {
        System.err.println("error: " + problem);
        System.err.println("usage: java bench/SyntheticShop.java --out DIR --name NAME [--users N] [--items N]"
                + " [--interactions N] [--modality NAME:DIM ...] [--tastes N] [--seed N]");
        System.exit(2);
    }

    private final int users;
    private final int items;
    private final long interactions;
    private final int tastes;
    private final long seed;
    /** cluster of each item */
    private final int[] cluster;
    /** items of each cluster and their cumulative popularity, for weighted draws */
    private final int[][] clusterItems;

    private final double[][] clusterCumulative;
    private final int[] allItems;
    private final double[] allCumulative;

    private SyntheticShop(int users, int items, long interactions, int tastes, long seed) {
        this.users = users;
        this.items = items;
        this.interactions = interactions;
        this.tastes = tastes;
        this.seed = seed;
        Random random = new Random(seed);
        cluster = new int[items];
        double[] popularity = new double[items];
        int[] rank = shuffled(items, random);
        for (int i = 0; i < items; i++) {
            cluster[i] = random.nextInt(tastes);
            popularity[i] = Math.pow(rank[i] + 1, -0.8);
        }
        List<List<Integer>> members = new ArrayList<>();
        for (int c = 0; c < tastes; c++) {
            members.add(new ArrayList<>());
        }
        for (int i = 0; i < items; i++) {
            members.get(cluster[i]).add(i);
        }
        clusterItems = new int[tastes][];
        clusterCumulative = new double[tastes][];
        for (int c = 0; c < tastes; c++) {
            clusterItems[c] =
                    members.get(c).stream().mapToInt(Integer::intValue).toArray();
            clusterCumulative[c] = cumulative(clusterItems[c], popularity);
        }
        allItems = java.util.stream.IntStream.range(0, items).toArray();
        allCumulative = cumulative(allItems, popularity);
    }

    private static int[] shuffled(int n, Random random) {
        int[] order = java.util.stream.IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static double[] cumulative(int[] members, double[] weight) {
        double[] sums = new double[members.length];
        double sum = 0;
        for (int k = 0; k < members.length; k++) {
            sum += weight[members[k]];
            sums[k] = sum;
        }
        return sums;
    }

    private static int draw(int[] members, double[] cumulative, Random random) {
        if (members.length == 0) {
            return -1;
        }
        double target = random.nextDouble() * cumulative[cumulative.length - 1];
        int k = Arrays.binarySearch(cumulative, target);
        return members[Math.min(members.length - 1, k >= 0 ? k : -k - 1)];
    }

    private void write(Path dir, String name, Map<String, Integer> modalities) throws IOException {
        Random random = new Random(seed * 31 + 7);
        long written = 0;
        long[] perLabel = new long[3];
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve(name + ".inter"), StandardCharsets.UTF_8)) {
            out.write("userID\titemID\trating\ttimestamp\tx_label\n");
            double mean = (double) interactions / users;
            for (int u = 0; u < users; u++) {
                // the last user takes what is left, so the file has exactly --interactions rows
                long left = interactions - written;
                int count = u == users - 1
                        ? (int) left
                        : (int) Math.max(
                                3,
                                Math.min(
                                        left - 3L * (users - u - 1),
                                        Math.round(mean * Math.exp(0.5 * random.nextGaussian() - 0.125))));
                count = Math.min(count, items / 2);
                int[] liked = new int[1 + random.nextInt(3)];
                for (int k = 0; k < liked.length; k++) {
                    liked[k] = random.nextInt(tastes);
                }
                java.util.Set<Integer> seen = new java.util.LinkedHashSet<>();
                int attempts = 0;
                while (seen.size() < count && attempts++ < 50 * count) {
                    int item = -1;
                    if (random.nextDouble() < 0.85) {
                        int c = liked[random.nextInt(liked.length)];
                        item = draw(clusterItems[c], clusterCumulative[c], random);
                    }
                    if (item < 0) {
                        item = draw(allItems, allCumulative, random);
                    }
                    seen.add(item);
                }
                int n = seen.size();
                int test = n >= 3 ? Math.max(1, n / 10) : 0;
                int valid = n >= 3 ? Math.max(1, n / 10) : 0;
                int k = 0;
                for (int item : seen) {
                    int label = k < n - valid - test ? 0 : k < n - test ? 1 : 2;
                    out.write(u + "\t" + item + "\t1\t" + k + "\t" + label + "\n");
                    perLabel[label]++;
                    k++;
                }
                written += n;
            }
        }
        for (Map.Entry<String, Integer> modality : modalities.entrySet()) {
            writeFeatures(
                    dir.resolve(modality.getKey() + "_feat.npy"),
                    modality.getValue(),
                    modality.getKey().hashCode() + seed,
                    modalities.keySet().iterator().next().equals(modality.getKey()));
        }
        System.out.printf(
                Locale.ROOT,
                "%s: %d users, %d items, %d interactions (train %d, valid %d, test %d), "
                        + "%d tastes, modalities %s%n",
                dir,
                users,
                items,
                written,
                perLabel[0],
                perLabel[1],
                perLabel[2],
                tastes,
                modalities);
    }

    /**
     * Each item's features: its cluster's (or, for a fifth of the items, another cluster's) centroid
     * plus Gaussian noise, every entry of the centroids standard normal: features at the scale of
     * TikTok's (per-entry standard deviation about 1). The scale matters: the models train the
     * feature tables themselves (initialised from these values) with Adam, whose steps do not shrink
     * with the values, so unit-norm rows (entries about 0.04) are overwritten within a few epochs.
     * The first modality is the clearer one (noise 0.6 against 1.0).
     */
    private void writeFeatures(Path file, int dim, long modalitySeed, boolean clearer) throws IOException {
        Random random = new Random(modalitySeed);
        float[][] centroids = new float[tastes][dim];
        for (float[] centroid : centroids) {
            for (int d = 0; d < dim; d++) {
                centroid[d] = (float) random.nextGaussian();
            }
        }
        double noise = clearer ? 0.6 : 1.0;
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + items + ", " + dim + "), }";
        int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        ByteBuffer row = ByteBuffer.allocate(4 * dim).order(ByteOrder.LITTLE_ENDIAN);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            out.write(header.length() & 0xff);
            out.write(header.length() >> 8);
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < items; i++) {
                float[] centroid = centroids[random.nextDouble() < 0.2 ? random.nextInt(tastes) : cluster[i]];
                row.clear();
                for (int d = 0; d < dim; d++) {
                    row.putFloat((float) (centroid[d] + noise * random.nextGaussian()));
                }
                out.write(row.array());
            }
        }
    }
}
