package io.mambarec.model.baseline;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.mambarec.model.Hyperparameters;
import io.mambarec.model.TrainingSettings;
import io.mambarec.model.nn.ParameterSet;
import io.mambarec.random.TorchCpuGenerator;
import java.util.Random;

/**
 * PyTorch's Xavier initialisers for a (rows x cols) embedding table, registered as a trainable
 * parameter of a {@link ParameterSet}; as in torch.nn.init for a
 * 2-d weight, fan_in = cols and fan_out = rows. Values come from a seeded Java {@link Random}, or,
 * with {@code mmrec_rng=true}, from a replay of PyTorch's CPU generator after
 * {@code torch.manual_seed(seed)}: then the tables equal the MMRec toolbox's for that seed, provided
 * the tables are drawn in the toolbox's order.
 */
final class Initializers {

    private final Random random;
    private final TorchCpuGenerator torch;

    private Initializers(Random random, TorchCpuGenerator torch) {
        this.random = random;
        this.torch = torch;
    }

    static Initializers of(Hyperparameters params, long seed) {
        return params.getBoolean(TrainingSettings.MMREC_RNG)
                ? new Initializers(null, new TorchCpuGenerator(seed))
                : new Initializers(new Random(seed), null);
    }

    /** U(-a, a) with a = sqrt(6 / (fan_in + fan_out)): xavier_uniform_. */
    NDArray xavierUniform(ParameterSet params, String name, int rows, int cols) {
        float[] values = new float[Math.multiplyExact(rows, cols)];
        if (torch != null) {
            // torch.nn.init computes the bound as sqrt(3) * std, which can differ in the last bit
            double bound = Math.sqrt(3.0) * Math.sqrt(2.0 / (rows + cols));
            torch.fillUniform(values, -bound, bound);
        } else {
            double bound = Math.sqrt(6.0 / (rows + cols));
            for (int k = 0; k < values.length; k++) {
                values[k] = (float) ((random.nextDouble() * 2 - 1) * bound);
            }
        }
        return params.parameter(name, values, new Shape(rows, cols));
    }

    /** N(0, std^2) with std = sqrt(2 / (fan_in + fan_out)): xavier_normal_. */
    NDArray xavierNormal(ParameterSet params, String name, int rows, int cols) {
        double std = Math.sqrt(2.0 / (rows + cols));
        float[] values = new float[Math.multiplyExact(rows, cols)];
        if (torch != null) {
            torch.fillNormal(values, 0, std);
        } else {
            for (int k = 0; k < values.length; k++) {
                values[k] = (float) (random.nextGaussian() * std);
            }
        }
        return params.parameter(name, values, new Shape(rows, cols));
    }

    /**
     * The draws of nn.Embedding's own N(0, 1) initialisation, which a model that re-initialises its
     * tables afterwards (the toolbox's BPR) makes and discards. Only the PyTorch replay consumes them.
     */
    void skipEmbeddingDefault(int rows, int cols) {
        if (torch != null) {
            torch.fillNormal(new float[Math.multiplyExact(rows, cols)], 0, 1);
        }
    }
}
