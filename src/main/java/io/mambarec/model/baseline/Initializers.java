package io.mambarec.model.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * PyTorch's Xavier initialisers for a (rows x cols) embedding table, drawn from a seeded Java
 * {@link Random} so that a run is reproducible. As in torch.nn.init for a 2-d weight,
 * fan_in = cols and fan_out = rows.
 */
public final class Initializers {

    private Initializers() {
    }

    /** U(-a, a) with a = sqrt(6 / (fan_in + fan_out)): xavier_uniform_. */
    public static NDArray xavierUniform(NDManager manager, Random random, int rows, int cols, String name) {
        double bound = Math.sqrt(6.0 / (rows + cols));
        float[] values = new float[Math.multiplyExact(rows, cols)];
        for (int k = 0; k < values.length; k++) {
            values[k] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return parameter(manager, values, rows, cols, name);
    }

    /** N(0, std^2) with std = sqrt(2 / (fan_in + fan_out)): xavier_normal_. */
    public static NDArray xavierNormal(NDManager manager, Random random, int rows, int cols, String name) {
        double std = Math.sqrt(2.0 / (rows + cols));
        float[] values = new float[Math.multiplyExact(rows, cols)];
        for (int k = 0; k < values.length; k++) {
            values[k] = (float) (random.nextGaussian() * std);
        }
        return parameter(manager, values, rows, cols, name);
    }

    private static NDArray parameter(NDManager manager, float[] values, int rows, int cols, String name) {
        NDArray array = manager.create(values, new Shape(rows, cols));
        array.setName(name);
        array.setRequiresGradient(true);
        return array;
    }
}
