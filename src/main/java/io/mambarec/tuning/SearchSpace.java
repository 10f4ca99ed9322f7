package io.mambarec.tuning;

import io.mambarec.model.Hyperparameters;
import io.mambarec.model.TrainingSettings;
import io.mambarec.model.mambarec.MambaRecConfig.Keys;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * MambaRec's own settings that {@code auto} searches, each with the values it may take: the
 * user-item layers 1-4 (the paper's TikTok setting is 4, MGCN's 2), the InfoNCE, MMD and
 * regulariser weights and MMD's bandwidth around the authors' grids, the kNN graphs' k, the
 * learning rate and the early-stopping patience. The first point is always the model's defaults
 * (the paper's); after it the points alternate between a <em>neighbour</em> of the incumbent (the
 * best point so far by validation, one setting moved one step along its list of values) and a
 * <em>random</em> point. Random points alone rarely improve on a good incumbent in a space of eight
 * settings (a 60-minute TikTok search drew 27 random points, none reaching the defaults'
 * validation Recall@20); the neighbours refine it, the random points still explore catalogues where
 * the defaults are poor - the mix of local and random proposals of SMAC and BOHB (Falkner, Klein and
 * Hutter, ICML 2018), without their models. The draws come from a generator seeded by the run's
 * seed; a draw depends only on the seed, the points before it and the incumbent, so a seed and the
 * same figures give the same points in the same order. Keys the user fixed are not searched.
 */
public final class SearchSpace {

    /** The searched keys and their values (as {@code --param} text), in drawing order. */
    public static final Map<String, List<String>> VALUES = values();

    private final Map<String, List<String>> dimensions = new LinkedHashMap<>();
    private final Map<String, String> defaults = new LinkedHashMap<>();
    private final Random random;
    private final Set<Map<String, String>> given = new HashSet<>();

    /**
     * @param model the model's resolved parameters without the search (defaults and the user's settings)
     * @param fixed keys the user set, which the search leaves as they are
     * @param seed the run's seed
     */
    public SearchSpace(Hyperparameters model, Set<String> fixed, long seed) {
        VALUES.forEach((key, values) -> {
            if (!fixed.contains(key) && model.asMap().containsKey(key)) {
                dimensions.put(key, values);
                defaults.put(key, String.valueOf(model.asMap().get(key)));
            }
        });
        this.random = new Random(seed);
    }

    private static Map<String, List<String>> values() {
        Map<String, List<String>> v = new LinkedHashMap<>();
        v.put(Keys.LAYERS, ints(1, 2, 3, 4));
        v.put(Keys.CL_WEIGHT, doubles(0.001, 0.005, 0.01, 0.02, 0.05, 0.1));
        v.put(Keys.MMD_WEIGHT, doubles(0.05, 0.1, 0.15, 0.2, 0.3));
        v.put(Keys.MMD_BANDWIDTH, doubles(0.5, 1.0, 1.5, 2.0));
        v.put(Keys.REG_WEIGHT, doubles(1e-5, 1e-4, 1e-3, 1e-2));
        v.put(Keys.KNN_K, ints(5, 10, 20));
        v.put(TrainingSettings.LEARNING_RATE, doubles(5e-4, 1e-3, 2e-3, 5e-3));
        v.put(TrainingSettings.PATIENCE, ints(5, 10, 20));
        return Collections.unmodifiableMap(v);
    }

    // values as the resolved parameters print them, so that a drawn point equal to the defaults is seen as such
    private static List<String> ints(int... values) {
        return Arrays.stream(values).mapToObj(String::valueOf).toList();
    }

    private static List<String> doubles(double... values) {
        return Arrays.stream(values).mapToObj(String::valueOf).toList();
    }

    /** The searched keys. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(dimensions.keySet());
    }

    /** The next point without an incumbent: the defaults first, then random points. */
    public Map<String, String> next() {
        return next(null);
    }

    /**
     * The next point (searched key to value), different from those before it while the space
     * allows: the defaults first, then in turn a neighbour of {@code incumbent} and a random point
     * (random ones only while there is no incumbent).
     *
     * @param incumbent the best point so far by validation, or null
     */
    public Map<String, String> next(Map<String, String> incumbent) {
        boolean local = incumbent != null && given.size() % 2 == 1 && !dimensions.isEmpty();
        Map<String, String> point =
                given.isEmpty() ? new LinkedHashMap<>(defaults) : local ? neighbour(incumbent) : draw();
        for (int attempt = 0; attempt < 1000 && given.contains(point); attempt++) {
            // a neighbour already tried: another one, then (every neighbour tried) a random point
            point = local && attempt < 4 * dimensions.size() ? neighbour(incumbent) : draw();
        }
        given.add(point);
        return Collections.unmodifiableMap(point);
    }

    /** {@code incumbent} with one setting moved one step along its values (back at the ends). */
    private Map<String, String> neighbour(Map<String, String> incumbent) {
        List<String> keys = List.copyOf(dimensions.keySet());
        String key = keys.get(random.nextInt(keys.size()));
        boolean up = random.nextBoolean();
        Map<String, String> point = new LinkedHashMap<>();
        dimensions.keySet().forEach(k -> point.put(k, incumbent.getOrDefault(k, defaults.get(k))));
        List<String> values = dimensions.get(key);
        int at = values.indexOf(point.get(key));
        if (at < 0) {
            at = values.indexOf(defaults.get(key)); // a value outside the list: step from the default's
        }
        int to = at < 0 ? 0 : up && at + 1 < values.size() || at == 0 ? at + 1 : at - 1;
        point.put(key, values.get(Math.min(Math.max(to, 0), values.size() - 1)));
        return point;
    }

    private Map<String, String> draw() {
        Map<String, String> point = new LinkedHashMap<>();
        dimensions.forEach((key, values) -> point.put(key, values.get(random.nextInt(values.size()))));
        return point;
    }
}
