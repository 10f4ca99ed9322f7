package io.mambarec.model.mambarec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.mambarec.model.NoGrad;
import io.mambarec.model.nn.Mode;
import io.mambarec.model.nn.ParameterSet;
import io.mambarec.runtime.DjlEnvironment;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DreamTest {

    private static final int D = 8;
    private NDManager manager;

    @BeforeEach
    void open() {
        DjlEnvironment.configureOffline();
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray input(long... shape) {
        return manager.randomNormal(new Shape(shape)).mul(2).add(0.5);
    }

    @Test
    void keepsTheShapeOfItemFeaturesSequencesAndMaps() {
        Dream dream = new Dream(new ParameterSet(manager, 1), "dream", D);
        assertThat(dream.forward(input(30, D), Mode.TRAIN).getShape()).isEqualTo(new Shape(30, D));
        assertThat(dream.forward(input(30, 5, D), Mode.TRAIN).getShape()).isEqualTo(new Shape(30, 5, D));
        assertThat(dream.forwardMap(input(30, D, 1, 5), Mode.TRAIN).getShape()).isEqualTo(new Shape(30, D, 1, 5));
        assertThat(dream.forward(input(30, D), Mode.EVAL).getShape()).isEqualTo(new Shape(30, D));
    }

    @Test
    void shortcutEqualsTheDilatedConvolutionsOnOneByOneMaps() {
        // two DREAMs with the same weights: one through the 1x1 shortcut, one through real 3x3 dilated convolutions
        ParameterSet shortcutParams = new ParameterSet(manager, 7);
        ParameterSet convParams = new ParameterSet(manager, 7);
        Dream shortcut = new Dream(shortcutParams, "dream", D);
        Dream convolution = new Dream(convParams, "dream", D);
        NDArray x = input(64, D);
        for (Mode mode : new Mode[] {Mode.TRAIN, Mode.TRAIN.withStatisticUpdates(2), Mode.EVAL}) {
            float[] fast = shortcut.forward(x, mode).toFloatArray();
            float[] full = convolution
                    .forwardMap(x.reshape(64, D, 1, 1), mode)
                    .reshape(64, D)
                    .toFloatArray();
            assertThat(fast).containsExactly(full, within(1e-5f));
        }
        // the running statistics followed the same updates
        Map<String, NDArray> a = shortcutParams.buffers();
        Map<String, NDArray> b = convParams.buffers();
        assertThat(a.keySet()).isEqualTo(b.keySet()).hasSize(4);
        a.forEach((name, array) ->
                assertThat(array.toFloatArray()).containsExactly(b.get(name).toFloatArray(), within(1e-5f)));
        // and the 3x3 convolution really met its off-centre taps only in zero padding: the result
        // changes if the centre changes, not if an off-centre tap does
        NDArray kernel = convParams.trainable().get("dream.branch2.conv.weight");
        try (NoGrad noGrad = NoGrad.open()) { // an in-place edit of a parameter
            kernel.set(new NDIndex(":, :, 0, 0"), 5f);
        }
        float[] afterOffCentre =
                convolution.forwardMap(x.reshape(64, D, 1, 1), Mode.EVAL).toFloatArray();
        assertThat(afterOffCentre)
                .containsExactly(shortcut.forward(x, Mode.EVAL).toFloatArray(), within(1e-5f));
    }

    @Test
    void shortcutHasTheGradientsOfTheDilatedConvolutions() {
        ParameterSet shortcutParams = new ParameterSet(manager, 7);
        ParameterSet convParams = new ParameterSet(manager, 7);
        Dream shortcut = new Dream(shortcutParams, "dream", D);
        Dream convolution = new Dream(convParams, "dream", D);
        NDArray x = input(64, D);
        NDArray weights = manager.randomNormal(new Shape(64, D));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(shortcut.forward(x, Mode.TRAIN).mul(weights).sum());
        }
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray out =
                    convolution.forwardMap(x.reshape(64, D, 1, 1), Mode.TRAIN).reshape(64, D);
            collector.backward(out.mul(weights).sum());
        }
        Map<String, NDArray> full = convParams.trainable();
        shortcutParams
                .trainable()
                .forEach((name, parameter) -> assertThat(parameter.getGradient().toFloatArray())
                        .as(name)
                        .containsExactly(full.get(name).getGradient().toFloatArray(), within(1e-4f)));
    }

    @Test
    void dilatedConvolutionsSeeNeighboursOnLongSequences() {
        // on a sequence longer than the dilation the off-centre taps read data: the general path is not the shortcut
        Dream dream = new Dream(new ParameterSet(manager, 3), "dream", D);
        NDArray sequence = input(16, 20, D);
        float[] general = dream.forward(sequence, Mode.EVAL).toFloatArray();
        float[] pointwise =
                dream.forward(sequence.reshape(16 * 20, D), Mode.EVAL).toFloatArray();
        float maxDifference = 0;
        for (int k = 0; k < general.length; k++) {
            maxDifference = Math.max(maxDifference, Math.abs(general[k] - pointwise[k]));
        }
        assertThat(maxDifference).isGreaterThan(1e-3f);
    }

    /** The branch convolutions' biases: BatchNorm follows them. */
    static final java.util.regex.Pattern BIAS_BEFORE_BATCH_NORM =
            java.util.regex.Pattern.compile(".*dream\\.branch\\d\\.conv\\.bias");

    @Test
    void gradientsReachEveryWeightThroughBothAttentions() {
        ParameterSet params = new ParameterSet(manager, 5);
        Dream dream = new Dream(params, "dream", D);
        NDArray x = input(50, D);
        // positive channel-attention weights make ReLU(w . C) win the max on some rows, the spatial attention on others
        try (NoGrad noGrad = NoGrad.open()) {
            params.trainable().get("dream.channel_attention.weight").set(new NDIndex(":"), 0.04f);
        }
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray out = dream.forward(x, Mode.TRAIN);
            collector.backward(
                    out.mul(out.getManager().randomNormal(out.getShape())).sum());
        }
        params.trainable().forEach((name, parameter) -> {
            try (NDArray gradient = parameter.getGradient()) {
                if (BIAS_BEFORE_BATCH_NORM.matcher(name).matches()) {
                    // a bias followed by a training-mode BatchNorm cancels in u - mean(u): gradient zero
                    assertThat(gradient.abs().sum().getFloat()).as(name).isZero();
                } else {
                    assertThat(gradient.abs().sum().getFloat()).as(name).isPositive();
                }
            }
        });
        // off-centre taps of the dilated kernels only ever meet zero padding: their gradient is zero
        NDArray kernelGradient =
                params.trainable().get("dream.branch3.conv.weight").getGradient();
        assertThat(kernelGradient.get(new NDIndex(":, :, 0, :")).abs().sum().getFloat())
                .isZero();
        assertThat(kernelGradient.get(new NDIndex(":, :, 1, 1")).abs().sum().getFloat())
                .isPositive();
    }

    @Test
    void squaredProjectionHasTheValuesAndGradientsOfTheDirectProductBitForBit() {
        // C as DREAM makes it: ReLU output, a third of it zero; shapes as TikTok's (d = 64, 5d = 320)
        NDArray c = manager.randomNormal(new Shape(200, 320)).sub(0.4f).maximum(0f);
        NDArray w = manager.randomNormal(new Shape(64, 320)).div(18f);
        NDArray upstream = manager.randomNormal(new Shape(200, 64));
        float[][] direct = squaredProjectionAndGradients(c, w, upstream, false);
        float[][] rewritten = squaredProjectionAndGradients(c, w, upstream, true);
        assertThat(rewritten[0]).as("value").containsExactly(direct[0]);
        assertThat(rewritten[1]).as("gradient of C").containsExactly(direct[1]);
        assertThat(rewritten[2]).as("gradient of W").containsExactly(direct[2]);
        // not trivially equal: the gradient of C is 2 C (g W), nonzero where C is
        double gradientMass = 0;
        for (float g : direct[1]) {
            gradientMass += Math.abs(g);
        }
        assertThat(gradientMass).isPositive();
    }

    /** value, gradient of C, gradient of W of sum(upstream * (C * C) W^T), directly or as {@link Dream#squaredProjection}. */
    private static float[][] squaredProjectionAndGradients(
            NDArray cValues, NDArray wValues, NDArray upstream, boolean rewritten) {
        NDArray c = cValues.duplicate();
        NDArray w = wValues.duplicate();
        c.setRequiresGradient(true);
        w.setRequiresGradient(true);
        float[] value;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray out = rewritten ? Dream.squaredProjection(c, w) : c.mul(c).matMul(w.transpose());
            value = out.toFloatArray();
            collector.backward(out.mul(upstream).sum());
        }
        return new float[][] {
            value, c.getGradient().toFloatArray(), w.getGradient().toFloatArray()
        };
    }

    @Test
    void initialisesAsPyTorchDefaults() {
        ParameterSet params = new ParameterSet(manager, 11);
        new Dream(params, "dream", 64);
        Map<String, NDArray> trainable = params.trainable();
        // 3x3 kernels: fan_in = 9 * d even though the shortcut uses only their centre
        assertUniform(trainable.get("dream.branch2.conv.weight"), 1 / Math.sqrt(9 * 64));
        assertUniform(trainable.get("dream.branch2.conv.bias"), 1 / Math.sqrt(9 * 64));
        assertUniform(trainable.get("dream.branch1.conv.weight"), 1 / Math.sqrt(64));
        assertUniform(trainable.get("dream.projection.conv.weight"), 1 / Math.sqrt(5 * 64));
        assertUniform(trainable.get("dream.channel_attention.weight"), 1 / Math.sqrt(5 * 64));
        assertThat(trainable).doesNotContainKey("dream.channel_attention.bias");
        assertThat(trainable.get("dream.branches.bn.weight").toFloatArray()).containsOnly(1f);
        assertThat(trainable.get("dream.branches.bn.bias").toFloatArray()).containsOnly(0f);
        assertThat(params.buffers().get("dream.branches.bn.running_mean").toFloatArray())
                .containsOnly(0f);
        assertThat(params.buffers().get("dream.branches.bn.running_var").toFloatArray())
                .containsOnly(1f);
    }

    static void assertUniform(NDArray array, double bound) {
        float[] values = array.toFloatArray();
        float max = 0;
        for (float v : values) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo((float) bound);
            max = Math.max(max, Math.abs(v));
        }
        if (values.length >= 64) {
            assertThat(max).isGreaterThan((float) (0.9 * bound));
        }
    }
}
