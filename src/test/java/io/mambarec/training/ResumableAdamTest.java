package io.mambarec.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.mambarec.model.NoGrad;
import io.mambarec.runtime.DjlEnvironment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        stepsEqualPyTorchsAdam(false);
    }

    @Test
    void fusedStepsEqualPyTorchsAdamIncludingTinyAndZeroGradients() {
        stepsEqualPyTorchsAdam(true);
    }

    private static void stepsEqualPyTorchsAdam(boolean fused) {
        DjlEnvironment.configureOffline();
        Engine.getInstance(); // loads the native library
        double lr = 1e-3;
        EpochLearningRate rate = new EpochLearningRate(lr, 1.0, 50);
        ResumableAdam adam = ResumableAdam.torch(rate);
        double[] expected = {0.5, -0.25, 1.0};
        double[] m = new double[3];
        double[] v = new double[3];
        try (NDManager manager = NDManager.newBaseManager()) {
            if (fused) {
                assertThat(adam.fused(manager).isFused()).isTrue();
            }
            NDArray weight = manager.create(new float[] {0.5f, -0.25f, 1.0f});
            weight.setRequiresGradient(true);
            for (int step = 1; step <= GRADIENTS.length; step++) {
                double[] g = GRADIENTS[step - 1];
                NDArray coefficients = manager.create(new float[] {(float) g[0], (float) g[1], (float) g[2]});
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    collector.backward(weight.mul(coefficients).sum()); // d/dw = the coefficients
                }
                try (NoGrad noGrad = NoGrad.open()) {
                    if (fused) {
                        adam.step(Map.of("w", weight));
                    } else {
                        try (NDArray gradient = weight.getGradient()) {
                            adam.update("w", weight, gradient);
                        }
                    }
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

    /**
     * The fused step of all parameters at once and DJL's kernel per parameter make the same updates,
     * moments included, in both eps conventions, to float precision (the kernels round in another
     * order), with gradients cleared after every step.
     */
    @Test
    void fusedStepOfAllParametersEqualsTheKernelPerParameter() {
        DjlEnvironment.configureOffline();
        Engine.getInstance();
        Shape[] shapes = {new Shape(3), new Shape(70, 9), new Shape(4099)};
        for (boolean torch : new boolean[] {false, true}) {
            EpochLearningRate rate = new EpochLearningRate(5e-3, 0.96, 2);
            ResumableAdam perParameter = torch ? ResumableAdam.torch(rate) : ResumableAdam.djl(rate);
            ResumableAdam fused = torch ? ResumableAdam.torch(rate) : ResumableAdam.djl(rate);
            try (NDManager manager = NDManager.newBaseManager()) {
                assertThat(fused.fused(manager).isFused()).isTrue();
                manager.getEngine().setRandomSeed(11);
                Map<String, NDArray> a = new LinkedHashMap<>();
                Map<String, NDArray> b = new LinkedHashMap<>();
                for (int p = 0; p < shapes.length; p++) {
                    NDArray initial = manager.randomNormal(shapes[p]);
                    a.put("p" + p, parameter(initial));
                    b.put("p" + p, parameter(initial));
                }
                for (int step = 0; step < 12; step++) {
                    rate.setEpoch(step / 4);
                    List<NDArray> coefficients = new ArrayList<>();
                    for (Shape shape : shapes) {
                        // large, small and zero gradients in every step
                        NDArray c = manager.randomNormal(shape).mul(step % 3 == 0 ? 1e-6 : 0.3);
                        coefficients.add(step == 5 ? c.zerosLike() : c);
                    }
                    backward(a, coefficients);
                    backward(b, coefficients);
                    try (NoGrad noGrad = NoGrad.open()) {
                        for (Map.Entry<String, NDArray> e : a.entrySet()) {
                            try (NDArray gradient = e.getValue().getGradient()) {
                                perParameter.update(e.getKey(), e.getValue(), gradient);
                            }
                        }
                        fused.step(b);
                    }
                    for (String name : a.keySet()) {
                        assertClose(b.get(name).toFloatArray(), a.get(name).toFloatArray(), 2e-6, name, step);
                        assertThat(b.get(name).getGradient().toFloatArray())
                                .as("gradient of %s cleared", name)
                                .containsOnly(0f);
                    }
                }
                assertThat(fused.steps()).isEqualTo(perParameter.steps());
                NDList momentsA = perParameter.moments(manager);
                NDList momentsB = fused.moments(manager);
                for (int k = 0; k < momentsA.size(); k++) {
                    float[] expected = momentsA.get(k).toFloatArray();
                    float[] actual = momentsB.get(k).toFloatArray();
                    float scale = 0;
                    for (float x : expected) {
                        scale = Math.max(scale, Math.abs(x));
                    }
                    assertThat(momentsB.get(k).getName())
                            .isEqualTo(momentsA.get(k).getName());
                    assertClose(actual, expected, 1e-5 * scale, momentsA.get(k).getName(), 12);
                }
            }
        }
    }

    private static NDArray parameter(NDArray initial) {
        NDArray copy = initial.duplicate();
        copy.setRequiresGradient(true);
        return copy;
    }

    private static void backward(Map<String, NDArray> parameters, List<NDArray> coefficients) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            int p = 0;
            for (NDArray weight : parameters.values()) {
                NDArray term = weight.mul(coefficients.get(p++)).sum();
                loss = loss == null ? term : loss.add(term);
            }
            collector.backward(loss); // d/dw = the coefficients
        }
    }

    private static void assertClose(float[] actual, float[] expected, double tolerance, String name, int step) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int k = 0; k < expected.length; k++) {
            assertThat((double) actual[k])
                    .as("%s[%d] after step %d", name, k, step)
                    .isCloseTo(expected[k], within(tolerance));
        }
    }
}
