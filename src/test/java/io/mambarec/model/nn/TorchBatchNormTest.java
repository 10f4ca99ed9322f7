package io.mambarec.model.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.mambarec.runtime.DjlEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TorchBatchNormTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        DjlEnvironment.configureOffline();
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(9);
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void severalStatisticUpdatesInOneCallEqualSuccessiveUpdates() {
        NDArray x = manager.randomNormal(new Shape(50, 6)).mul(3).add(2);
        TorchBatchNorm once = new TorchBatchNorm(new ParameterSet(manager, 1), "bn", 6);
        TorchBatchNorm successive = new TorchBatchNorm(new ParameterSet(manager, 1), "bn", 6);
        for (int step = 0; step < 3; step++) {
            float[] combined =
                    once.forward(x, Mode.TRAIN.withStatisticUpdates(2)).toFloatArray();
            float[] first = successive.forward(x, Mode.TRAIN).toFloatArray();
            successive.forward(x, Mode.TRAIN);
            assertThat(combined).containsExactly(first);
        }
        // three steps of two updates each: running = 0.9^6 initial + (1 - 0.9^6) batch statistic
        assertThat(once.runningMean().toFloatArray())
                .containsExactly(successive.runningMean().toFloatArray(), within(1e-6f));
        assertThat(once.runningVar().toFloatArray())
                .containsExactly(successive.runningVar().toFloatArray(), within(1e-6f));
        float[] mean = x.mean(new int[] {0}).toFloatArray();
        float[] runningMean = once.runningMean().toFloatArray();
        for (int c = 0; c < mean.length; c++) {
            assertThat(runningMean[c]).isCloseTo((float) (1 - Math.pow(0.9, 6)) * mean[c], within(1e-5f));
        }
    }

    @Test
    void ofLinearIsTheBatchNormOfTheProductWithItsGradients() {
        NDArray x = manager.randomNormal(new Shape(40, 5)).mul(2).add(1);
        NDArray upstream = manager.randomNormal(new Shape(40, 12));
        ParameterSet folded = new ParameterSet(manager, 4);
        ParameterSet direct = new ParameterSet(manager, 4);
        TorchLinear foldedLinear = new TorchLinear(folded, "linear", 5, 12);
        TorchLinear directLinear = new TorchLinear(direct, "linear", 5, 12);
        TorchBatchNorm foldedNorm = new TorchBatchNorm(folded, "bn", 12);
        TorchBatchNorm directNorm = new TorchBatchNorm(direct, "bn", 12);
        NDArray w = folded.trainable().get("linear.weight");
        NDArray b = folded.trainable().get("linear.bias");
        for (Mode mode : new Mode[] {Mode.TRAIN, Mode.TRAIN.withStatisticUpdates(2), Mode.EVAL}) {
            float[] fast;
            float[] full;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = foldedNorm.ofLinear(x, w, b, mode);
                fast = out.toFloatArray();
                collector.backward(out.mul(upstream).sum());
            }
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = directNorm.forward(directLinear.forward(x), mode);
                full = out.toFloatArray();
                collector.backward(out.mul(upstream).sum());
            }
            assertThat(fast).as(mode.toString()).containsExactly(full, within(1e-5f));
            assertThat(foldedNorm.runningMean().toFloatArray())
                    .containsExactly(directNorm.runningMean().toFloatArray(), within(1e-5f));
            assertThat(foldedNorm.runningVar().toFloatArray())
                    .containsExactly(directNorm.runningVar().toFloatArray(), within(1e-5f));
            direct.trainable().forEach((name, parameter) -> {
                NDArray gradient = folded.trainable().get(name).getGradient();
                assertThat(gradient.toFloatArray())
                        .as(mode + " " + name)
                        .containsExactly(parameter.getGradient().toFloatArray(), within(1e-4f));
                gradient.subi(gradient);
                parameter.getGradient().subi(parameter.getGradient());
            });
        }
        assertThat(foldedLinear.weight()).isSameAs(w);
    }
}
