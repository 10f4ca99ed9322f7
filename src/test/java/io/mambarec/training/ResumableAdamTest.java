package io.mambarec.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.mambarec.model.NoGrad;
import io.mambarec.runtime.DjlEnvironment;
import org.junit.jupiter.api.Test;

/**
 * ResumableAdam.torch steps as torch.optim.Adam: compared with PyTorch's update rule computed here in double
 * precision, over steps with ordinary, tiny (where eps matters) and zero gradients.
 */
class ResumableAdamTest {

    /** Per step, the gradient of each of the three weights. */
    private static final double[][] GRADIENTS = {
        {1e-3, 1e-7, 0}, {1e-3, 0, 0}, {-5e-4, 2e-7, 0}, {0, 0, 0}, {2e-3, 1e-7, 0}, {1e-4, 0, 0}
    };

    @Test
    void stepsEqualPyTorchsAdamIncludingTinyAndZeroGradients() {
        DjlEnvironment.configureOffline();
        Engine.getInstance(); // loads the native library
        double lr = 1e-3;
        EpochLearningRate rate = new EpochLearningRate(lr, 1.0, 50);
        ResumableAdam adam = ResumableAdam.torch(rate);
        double[] expected = {0.5, -0.25, 1.0};
        double[] m = new double[3];
        double[] v = new double[3];
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.create(new float[] {0.5f, -0.25f, 1.0f});
            weight.setRequiresGradient(true);
            for (int step = 1; step <= GRADIENTS.length; step++) {
                double[] g = GRADIENTS[step - 1];
                NDArray coefficients = manager.create(new float[] {(float) g[0], (float) g[1], (float) g[2]});
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(weight.mul(coefficients).sum()); // d/dw = the coefficients
                }
                try (NoGrad noGrad = NoGrad.open();
                        NDArray gradient = weight.getGradient()) {
                    adam.update("w", weight, gradient);
                }
                for (int k = 0; k < 3; k++) { // torch.optim.Adam, single-tensor path
                    float gk = (float) g[k];
                    m[k] = 0.9 * m[k] + 0.1 * gk;
                    v[k] = 0.999 * v[k] + 0.001 * gk * gk;
                    double denominator = Math.sqrt(v[k]) / Math.sqrt(1 - Math.pow(0.999, step)) + 1e-8;
                    expected[k] -= lr / (1 - Math.pow(0.9, step)) * m[k] / denominator;
                }
                float[] actual = weight.toFloatArray();
                for (int k = 0; k < 3; k++) {
                    assertThat((double) actual[k])
                            .as("step %d, weight %d", step, k)
                            .isCloseTo(expected[k], within(2e-7));
                }
            }
            // the tiny-gradient weight moved by about a full learning rate per step, as in PyTorch
            assertThat(-0.25 - weight.toFloatArray()[1]).isGreaterThan(3.5 * lr);
        }
    }
}
