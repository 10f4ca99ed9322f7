package io.mambarec.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A model's named arrays: trainable parameters (Adam updates them) and buffers (BatchNorm running
 * statistics, graph structure) that are saved with the model but not trained. Initialisers follow
 * PyTorch's defaults, as the authors' code gets them; values come from a seeded {@link Random}, so
 * the same seed gives the same initial model regardless of the engine's random state.
 */
public final class ParameterSet {

    private final NDManager manager;
    private final Random random;
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();
    private final java.util.Set<String> fixed = new java.util.HashSet<>();

    public ParameterSet(NDManager manager, long seed) {
        this.manager = manager;
        this.random = new Random(seed);
    }

    public NDManager manager() {
        return manager;
    }

    /** Trainable, uniform in (-bound, bound): PyTorch's Linear/Conv default with bound 1/sqrt(fan_in). */
    public NDArray uniform(String name, Shape shape, double bound) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int k = 0; k < values.length; k++) {
            values[k] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
        return parameter(name, values, shape);
    }

    /** Trainable rows x cols table, Xavier uniform: bound sqrt(6 / (fan_in + fan_out)) as torch's xavier_uniform_. */
    public NDArray xavierUniform(String name, int rows, int cols) {
        return uniform(name, new Shape(rows, cols), Math.sqrt(6.0 / (rows + cols)));
    }

    /**
     * Trainable, every entry {@code value} (BatchNorm/LayerNorm weight 1 and bias 0, the tables a
     * saved state is loaded into): filled in native memory, nothing of its size on the Java heap.
     */
    public NDArray constant(String name, Shape shape, float value) {
        return trainable(name, manager.full(shape, value, DataType.FLOAT32));
    }

    /** Trainable, initialised from given values (the raw item features). */
    public NDArray parameter(String name, float[] values, Shape shape) {
        return trainable(name, manager.create(values, shape));
    }

    private NDArray trainable(String name, NDArray array) {
        array.setRequiresGradient(true);
        put(parameters, name, array);
        return array;
    }

    /** Not trained, saved with the model (running statistics, graph structure). */
    public NDArray buffer(String name, NDArray array) {
        put(buffers, name, array);
        return array;
    }

    /**
     * A buffer that never changes after construction (graph structure): {@link #load} checks that
     * the saved value is the same instead of copying it, since derived arrays (a sparse tensor)
     * were built from it.
     */
    public NDArray fixedBuffer(String name, NDArray array) {
        buffer(name, array);
        fixed.add(name);
        return array;
    }

    public NDArray buffer(String name, Shape shape, float value) {
        NDArray array = manager.full(shape, value, DataType.FLOAT32);
        return buffer(name, array);
    }

    private void put(Map<String, NDArray> target, String name, NDArray array) {
        if (parameters.containsKey(name) || buffers.containsKey(name)) {
            throw new IllegalStateException("duplicate model array name " + name);
        }
        array.setName(name);
        target.put(name, array);
    }

    /** Trainable parameters by name, in creation order. */
    public Map<String, NDArray> trainable() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Buffers by name, in creation order. */
    public Map<String, NDArray> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /** Parameters then buffers, each array named: the model's own arrays, not copies. */
    public NDList state() {
        NDList state = new NDList(parameters.size() + buffers.size());
        state.addAll(parameters.values());
        state.addAll(buffers.values());
        return state;
    }

    /**
     * Copies a saved state into this set. Every name must be present with the same shape and
     * type, and every array of this set must be given: a partial or foreign state is an error.
     */
    public void load(NDList state) {
        Map<String, NDArray> byName = new LinkedHashMap<>();
        for (NDArray array : state) {
            byName.put(array.getName(), array);
        }
        Map<String, NDArray> all = new LinkedHashMap<>(parameters);
        all.putAll(buffers);
        if (!byName.keySet().equals(all.keySet())) {
            throw new IllegalArgumentException(
                    "saved state holds " + byName.keySet() + ", the model expects " + all.keySet());
        }
        all.forEach((name, target) -> {
            NDArray source = byName.get(name);
            if (!source.getShape().equals(target.getShape()) || source.getDataType() != target.getDataType()) {
                throw new IllegalArgumentException("saved " + name + " is " + source.getDataType() + source.getShape()
                        + ", the model expects " + target.getDataType() + target.getShape());
            }
        });
        all.forEach((name, target) -> {
            if (!fixed.contains(name)) {
                byName.get(name).copyTo(target);
            } else if (!byName.get(name).contentEquals(target)) {
                throw new IllegalArgumentException("saved " + name + " differs from this model's: another graph");
            }
        });
    }
}
